package dev.parley.relay.connection;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The signed-in connections by user and by device session, for fan-out and for signing a device out. */
public final class ConnectionRegistry {
    private final ConcurrentMap<Long, Set<ClientConnection>> byUser = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<ClientConnection>> bySession = new ConcurrentHashMap<>();

    public void register(ClientConnection connection) {
        byUser.computeIfAbsent(connection.userId(), id -> ConcurrentHashMap.newKeySet()).add(connection);
        bySession.computeIfAbsent(connection.sessionId(), id -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    /** Removes the connection; true when it was the user's last one. */
    public boolean unregister(ClientConnection connection) {
        bySession.computeIfPresent(connection.sessionId(), (id, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
        boolean[] last = {false};
        byUser.computeIfPresent(connection.userId(), (id, set) -> {
            set.remove(connection);
            last[0] = set.isEmpty();
            return set.isEmpty() ? null : set;
        });
        return last[0];
    }

    public Collection<ClientConnection> connectionsOf(long userId) {
        Set<ClientConnection> connections = byUser.get(userId);
        return connections == null ? List.of() : connections;
    }

    public Collection<ClientConnection> connectionsOfSession(String sessionId) {
        Set<ClientConnection> connections = bySession.get(sessionId);
        return connections == null ? List.of() : List.copyOf(connections);
    }

    public boolean isOnline(long userId) {
        return byUser.containsKey(userId);
    }

    public int connectionCount() {
        return byUser.values().stream().mapToInt(Set::size).sum();
    }

    public int onlineUserCount() {
        return byUser.size();
    }

    public List<ClientConnection> all() {
        return byUser.values().stream().flatMap(Set::stream).toList();
    }
}
