package dev.parley.relay.presence;

import dev.parley.protocol.PresenceStatus;
import dev.parley.protocol.ServerMessage;
import dev.parley.relay.account.AccountStore;
import dev.parley.relay.chat.ChatStore;
import dev.parley.relay.connection.Broadcaster;
import dev.parley.relay.connection.ClientConnection;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A user's status across all their devices: do-not-disturb on any device wins, then online on any device, then
 * away; no device means offline. Changes go to the user's contacts (people they share a DM or group with) and to
 * their own other devices. The status is driven by connect, disconnect and idle-timeout, not by close events alone.
 */
public final class PresenceTracker {
    /** Each user's connected devices and their statuses; the maps are immutable and replaced on every change. */
    private final ConcurrentMap<Long, Map<Long, PresenceStatus>> devices = new ConcurrentHashMap<>();
    /** One lock per user, so that one user's changes are applied and announced one at a time, in order. */
    private final ConcurrentMap<Long, Object> locks = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, Long> lastSeen = new ConcurrentHashMap<>();
    private final ChatStore chats;
    private final AccountStore accounts;
    private final Broadcaster broadcaster;
    private final Clock clock;

    public PresenceTracker(ChatStore chats, AccountStore accounts, Broadcaster broadcaster, Clock clock) {
        this.chats = chats;
        this.accounts = accounts;
        this.broadcaster = broadcaster;
        this.clock = clock;
    }

    /** {@code contacts} as {@link #snapshotFor} read them for this handshake: one query per connect, not two. */
    public void connected(ClientConnection connection, Set<Long> contacts) {
        update(connection.userId(), map -> map.put(connection.id(), PresenceStatus.ONLINE), () -> contacts);
    }

    public void disconnected(ClientConnection connection) {
        long user = connection.userId();
        update(user, map -> map.remove(connection.id()), () -> chats.contactsOf(user));
    }

    public void set(ClientConnection connection, PresenceStatus status) {
        long user = connection.userId();
        update(user, map -> map.replace(connection.id(), status), () -> chats.contactsOf(user));
    }

    public PresenceStatus statusOf(long userId) {
        return aggregate(devices.getOrDefault(userId, Map.of()));
    }

    /** When the user was last connected; null while connected or if never seen since the relay's records began. */
    public Long lastSeenOf(long userId, Long stored) {
        if (statusOf(userId) != PresenceStatus.OFFLINE) {
            return null;
        }
        return lastSeen.getOrDefault(userId, stored);
    }

    /** Everyone a user shares a DM or group with, and their current status for the welcome frame. */
    public record Snapshot(Set<Long> contacts, List<ServerMessage.Presence> statuses) {
    }

    public Snapshot snapshotFor(long userId) {
        Set<Long> contacts = chats.contactsOf(userId);
        Map<Long, Long> stored = new HashMap<>();
        accounts.findByIds(contacts).forEach(a -> stored.put(a.id(), a.lastSeen()));
        return new Snapshot(contacts, contacts.stream()
                .sorted()
                .map(id -> new ServerMessage.Presence(id, statusOf(id), lastSeenOf(id, stored.get(id))))
                .toList());
    }

    /**
     * Applies one change under the user's lock and announces it before releasing the lock: a device connecting while
     * another one's disconnect is being handled (a reconnect) can neither be lost nor have its "online" overtaken by
     * the older "offline".
     */
    private void update(long userId, Consumer<Map<Long, PresenceStatus>> change, Supplier<Set<Long>> contacts) {
        synchronized (locks.computeIfAbsent(userId, id -> new Object())) {
            Map<Long, PresenceStatus> current = devices.getOrDefault(userId, Map.of());
            Map<Long, PresenceStatus> next = new HashMap<>(current);
            change.accept(next);
            if (next.isEmpty()) {
                devices.remove(userId);
            } else {
                devices.put(userId, Map.copyOf(next));
            }
            PresenceStatus before = aggregate(current);
            PresenceStatus after = aggregate(next);
            if (before == after) {
                return;
            }
            Long seen = null;
            if (after == PresenceStatus.OFFLINE) {
                long now = clock.millis();
                seen = now;
                lastSeen.put(userId, now);
                accounts.setLastSeen(userId, now);
            }
            Set<Long> audience = new HashSet<>(contacts.get());
            audience.add(userId);
            broadcaster.sendToUsers(audience, new ServerMessage.Presence(userId, after, seen), 0);
        }
    }

    private static PresenceStatus aggregate(Map<Long, PresenceStatus> map) {
        if (map.isEmpty()) {
            return PresenceStatus.OFFLINE;
        }
        if (map.containsValue(PresenceStatus.DND)) {
            return PresenceStatus.DND;
        }
        return map.containsValue(PresenceStatus.ONLINE) ? PresenceStatus.ONLINE : PresenceStatus.AWAY;
    }
}
