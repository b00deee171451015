package dev.parley.relay.storage.sqlite;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps one compiled statement per SQL text for the life of a connection. SQLite compiles a statement on every
 * {@code prepareStatement}, which costs more than running the small statements of the hot path; with this wrapper
 * the stores keep their plain try-with-resources JDBC code, and {@code close()} on a statement only clears it for
 * the next use. A connection is used by one thread at a time (the writer, or the pool's borrower), so the cache
 * needs no locking.
 */
final class StatementCache {
    private StatementCache() {
    }

    static Connection wrap(Connection connection) {
        Map<String, PreparedStatement> cache = new HashMap<>();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") && args != null && args.length == 1
                    && args[0] instanceof String sql) {
                PreparedStatement cached = cache.get(sql);
                if (cached == null || cached.isClosed()) {
                    cached = reusable(connection.prepareStatement(sql));
                    cache.put(sql, cached);
                }
                return cached;
            }
            if (method.getName().equals("close")) {
                for (PreparedStatement statement : cache.values()) {
                    closeQuietly(statement);
                }
                cache.clear();
            }
            return invoke(connection, method, args);
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[]{Connection.class}, handler);
    }

    private static PreparedStatement reusable(PreparedStatement statement) {
        // The last result of the statement. sqlite-jdbc resets a statement (ends its read of the database) only when
        // its ResultSet is closed; clearParameters does not. A result left open would keep the connection in a read
        // transaction past COMMIT: the WAL could not be checkpointed, and after another process wrote (an admin's
        // reset-password) every write of this connection would fail with SQLITE_BUSY_SNAPSHOT.
        ResultSet[] lastResult = new ResultSet[1];
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("close") && (args == null || args.length == 0)) {
                if (lastResult[0] != null) {
                    lastResult[0].close();
                    lastResult[0] = null;
                }
                statement.clearParameters();
                return null;
            }
            if (method.getName().equals("isClosed") && (args == null || args.length == 0)) {
                return statement.isClosed();
            }
            Object result = invoke(statement, method, args);
            if (result instanceof ResultSet rs) {
                lastResult[0] = rs;
            }
            return result;
        };
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void closeQuietly(PreparedStatement proxy) {
        try {
            proxy.unwrap(PreparedStatement.class).close();
        } catch (SQLException ignored) {
            // the connection is closing anyway
        }
    }
}
