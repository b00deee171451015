package dev.parley.relay.connection;

import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ServerMessage;

/** Sends one frame to every connected device of some users; the frame is encoded once. */
public final class Broadcaster {
    private final ConnectionRegistry connections;
    private final ProtocolJson json;

    public Broadcaster(ConnectionRegistry connections, ProtocolJson json) {
        this.connections = connections;
        this.json = json;
    }

    /** {@code exceptConnection} (0 for none) is skipped: the device that caused the frame already knows. */
    public void sendToUsers(Iterable<Long> users, ServerMessage message, long exceptConnection) {
        sendEncoded(users, encode(message), exceptConnection);
    }

    public void sendEncoded(Iterable<Long> users, OutboundFrame frame, long exceptConnection) {
        for (long user : users) {
            for (ClientConnection connection : connections.connectionsOf(user)) {
                if (connection.id() != exceptConnection) {
                    connection.send(frame);
                }
            }
        }
    }

    public boolean isOnline(long user) {
        return connections.isOnline(user);
    }

    public OutboundFrame encode(ServerMessage message) {
        return OutboundFrame.encode(json, message);
    }
}
