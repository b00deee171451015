package dev.parley.relay.storage.sqlite;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.relay.config.RelayConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/**
 * The embedded database: migrated by Flyway on open, WAL mode so readers never block the writer, one writer
 * connection owned by {@link SqliteWriter} and a small pool of read-only connections for queries.
 */
public final class SqliteDatabase implements AutoCloseable {
    private final SqliteWriter writer;
    private final HikariDataSource readers;

    public SqliteDatabase(Path file, RelayConfig.SqliteSync sync) {
        this(file, sync, true);
    }

    /**
     * Opens an existing database for maintenance beside a relay that may be running: its schema must already be the
     * one this program expects. Migrating here could change the schema under a running relay of another version.
     */
    public static SqliteDatabase openWithoutMigrating(Path file, RelayConfig.SqliteSync sync) {
        return new SqliteDatabase(file, sync, false);
    }

    private SqliteDatabase(Path file, RelayConfig.SqliteSync sync, boolean migrate) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory for " + file, e);
        }
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        if (migrate) {
            migrate(url);
        } else {
            requireCurrentSchema(url);
        }
        try {
            this.writer = new SqliteWriter(() -> openWriter(url, sync));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + file + " for writing: " + e.getMessage(), e);
        }
        this.readers = openReaders(url);
    }

    private static void requireCurrentSchema(String url) {
        try {
            flyway(url).validate();
        } catch (FlywayException e) {
            throw new IllegalStateException("its schema is not the one this relay version uses (start the relay"
                    + " once: it upgrades the database); " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static void migrate(String url) {
        flyway(url).migrate();
    }

    private static Flyway flyway(String url) {
        return Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration/sqlite")
                .load();
    }

    private static Connection openWriter(String url, RelayConfig.SqliteSync sync) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(sync == RelayConfig.SqliteSync.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(10_000);
        // Inserts that need their id say RETURNING; without this the driver pattern-matches every INSERT's SQL to
        // set up a generated-keys query nobody reads (a few percent of the writer's time under load).
        config.setGetGeneratedKeys(false);
        return StatementCache.wrap(config.createConnection(url));
    }

    private static HikariDataSource openReaders(String url) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        SQLiteDataSource source = new SQLiteDataSource(config) {
            @Override
            public Connection getConnection() throws SQLException {
                return StatementCache.wrap(super.getConnection());
            }
        };
        source.setUrl(url);
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(source);
        pool.setPoolName("parley-sqlite-readers");
        pool.setReadOnly(true);
        pool.setMaximumPoolSize(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
        pool.setMinimumIdle(1);
        return new HikariDataSource(pool);
    }

    /** Runs a query on a pooled read-only connection; sees every batch committed before it started. */
    <T> T read(SqlFunction<T> query) {
        try (Connection connection = readers.getConnection()) {
            return query.apply(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + e.getMessage(), e);
        }
    }

    <T> CompletableFuture<T> write(WriteJob<T> job) {
        return writer.submit(job);
    }

    /** A write holding about {@code bytes} of memory until it is answered (the text of a message). */
    <T> CompletableFuture<T> write(long bytes, WriteJob<T> job) {
        return writer.submit(job, bytes);
    }

    /** Waits until everything submitted so far is committed (jobs run in order, so a no-op marks the point). */
    public void flush(java.time.Duration timeout) {
        try {
            writer.submit(tx -> null).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // Closing drains the queue anyway; a failed or slow marker only means acks may not reach clients.
        }
    }

    public long commits() {
        return writer.commits();
    }

    public long writeJobs() {
        return writer.jobs();
    }

    /** Commits what is queued, then closes every connection. */
    @Override
    public void close() {
        try {
            writer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            readers.close();
        }
    }

    @FunctionalInterface
    interface SqlFunction<T> {
        T apply(Connection connection) throws SQLException;
    }
}
