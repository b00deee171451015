package dev.parley.relay.connection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionRegistryTest {
    private final ConnectionRegistry registry = new ConnectionRegistry();

    private record Device(long id, long userId, String sessionId, List<String> sent) implements ClientConnection {
        Device(long id, long userId, String sessionId) {
            this(id, userId, sessionId, new ArrayList<>());
        }

        @Override
        public void send(OutboundFrame frame) {
            sent.add(frame.toString());
        }

        @Override
        public void close(int code, String reason) {
        }
    }

    @Test
    void aUserIsOnlineUntilTheLastOfTheirDevicesGoes() {
        Device laptop = new Device(1, 7, "s-laptop");
        Device phone = new Device(2, 7, "s-phone");
        registry.register(laptop);
        registry.register(phone);

        assertEquals(List.of(laptop, phone), List.copyOf(registry.connectionsOf(7)));
        assertEquals(2, registry.connectionCount());
        assertFalse(registry.unregister(laptop), "the phone is still connected");
        assertTrue(registry.isOnline(7));
        assertTrue(registry.unregister(phone), "that was the last device");
        assertFalse(registry.isOnline(7));
        assertTrue(registry.connectionsOf(7).isEmpty());
    }

    @Test
    void aSnapshotTakenForFanOutIsNotChangedByLaterConnects() {
        Device first = new Device(1, 7, "s1");
        registry.register(first);
        var snapshot = registry.connectionsOf(7);

        registry.register(new Device(2, 7, "s2"));

        assertEquals(List.of(first), List.copyOf(snapshot));
        assertEquals(2, registry.connectionsOf(7).size());
    }

    @Test
    void connectionsAreFoundBySessionAndRegisteringTwiceOrRemovingAStrangerChangesNothing() {
        Device tab1 = new Device(1, 7, "shared-session");
        Device tab2 = new Device(2, 7, "shared-session");
        registry.register(tab1);
        registry.register(tab1);
        registry.register(tab2);

        assertEquals(List.of(tab1, tab2), List.copyOf(registry.connectionsOfSession("shared-session")));
        assertFalse(registry.unregister(new Device(3, 7, "shared-session")));
        assertEquals(2, registry.connectionCount());
        assertEquals(1, registry.onlineUserCount());
        assertEquals(List.of(tab1, tab2), registry.all());
    }
}
