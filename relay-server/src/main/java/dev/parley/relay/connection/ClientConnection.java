package dev.parley.relay.connection;

/** A signed-in device's live connection, independent of the transport behind it. */
public interface ClientConnection {
    /** Unique for the life of the relay process. */
    long id();

    long userId();

    String sessionId();

    /** Queues an encoded frame; never blocks. A connection that falls too far behind is closed. */
    void send(OutboundFrame frame);

    void close(int code, String reason);
}
