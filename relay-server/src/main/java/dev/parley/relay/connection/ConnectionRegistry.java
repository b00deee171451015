package dev.parley.relay.connection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The signed-in connections by user and by device session, for fan-out and for signing a device out.
 *
 * <p>Each user's (and session's) connections are an immutable list replaced on connect and disconnect: a user has a
 * handful of devices, connects rarely and receives often, so fan-out iterates a plain array and an idle connection
 * costs one list slot instead of a concurrent set of its own.
 */
public final class ConnectionRegistry {
    private final ConcurrentMap<Long, List<ClientConnection>> byUser = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, List<ClientConnection>> bySession = new ConcurrentHashMap<>();

    public void register(ClientConnection connection) {
        byUser.compute(connection.userId(), (id, list) -> with(list, connection));
        bySession.compute(connection.sessionId(), (id, list) -> with(list, connection));
    }

    /** Removes the connection; true when it was the user's last one. */
    public boolean unregister(ClientConnection connection) {
        bySession.computeIfPresent(connection.sessionId(), (id, list) -> without(list, connection));
        boolean[] last = {false};
        byUser.computeIfPresent(connection.userId(), (id, list) -> {
            List<ClientConnection> rest = without(list, connection);
            last[0] = rest == null;
            return rest;
        });
        return last[0];
    }

    private static List<ClientConnection> with(List<ClientConnection> list, ClientConnection connection) {
        if (list == null) {
            return List.of(connection);
        }
        if (list.contains(connection)) {
            return list;
        }
        List<ClientConnection> grown = new ArrayList<>(list.size() + 1);
        grown.addAll(list);
        grown.add(connection);
        return List.copyOf(grown);
    }

    /** The list without the connection, or null (which removes the map entry) when nothing is left. */
    private static List<ClientConnection> without(List<ClientConnection> list, ClientConnection connection) {
        if (!list.contains(connection)) {
            return list;
        }
        List<ClientConnection> rest = list.stream().filter(c -> c != connection).toList();
        return rest.isEmpty() ? null : rest;
    }

    /** A snapshot: connections that come or go afterwards are not reflected in it. */
    public Collection<ClientConnection> connectionsOf(long userId) {
        List<ClientConnection> connections = byUser.get(userId);
        return connections == null ? List.of() : connections;
    }

    public Collection<ClientConnection> connectionsOfSession(String sessionId) {
        List<ClientConnection> connections = bySession.get(sessionId);
        return connections == null ? List.of() : connections;
    }

    public boolean isOnline(long userId) {
        return byUser.containsKey(userId);
    }

    public int connectionCount() {
        return byUser.values().stream().mapToInt(List::size).sum();
    }

    public int onlineUserCount() {
        return byUser.size();
    }

    public List<ClientConnection> all() {
        return byUser.values().stream().flatMap(List::stream).toList();
    }
}
