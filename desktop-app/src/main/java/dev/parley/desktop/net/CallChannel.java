package dev.parley.desktop.net;

import dev.parley.protocol.CallMedia;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.Signal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The call frames of one relay connection (protocol.md section 23), UI- and WebRTC-free. Call frames bypass the chat
 * worker: a ring or an SDP answer must not wait behind a long sync. Listeners run on the socket's thread and must
 * hand work off at once.
 */
public final class CallChannel {
    /** Called on the socket's or connection scheduler's thread. */
    public interface Listener {
        void ring(ServerMessage.CallRing ring);

        void accepted(ServerMessage.CallAccepted accepted);

        void signal(ServerMessage.CallSignal signal);

        void ended(ServerMessage.CallEnded ended);

        /** The relay connection went up or down; a call cannot survive a lost connection (the relay ends it). */
        default void connectionChanged(boolean connected) {
        }
    }

    private final RelayConnection connection;
    private final AuthSession auth;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile List<IceServer> iceServers = List.of();

    CallChannel(RelayConnection connection, AuthSession auth) {
        this.connection = connection;
        this.auth = auth;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Rings the other member of DM {@code conv}; completes with the new call's id. */
    public CompletableFuture<String> invite(long conv, CallMedia media) {
        return connection.request(rid -> new ClientMessage.CallInvite(rid, conv, media))
                .thenApply(reply -> ((ServerMessage.Ack) reply).callId());
    }

    public CompletableFuture<Void> accept(String callId) {
        return connection.request(rid -> new ClientMessage.CallAccept(rid, callId)).thenApply(reply -> null);
    }

    public CompletableFuture<Void> decline(String callId) {
        return connection.request(rid -> new ClientMessage.CallDecline(rid, callId)).thenApply(reply -> null);
    }

    public CompletableFuture<Void> hangup(String callId) {
        return connection.request(rid -> new ClientMessage.CallHangup(rid, callId)).thenApply(reply -> null);
    }

    /** Not a request: the relay forwards it, and answers only when it cannot. Dropped while offline. */
    public void signal(String callId, Signal signal) {
        connection.sendEphemeral(new ClientMessage.CallSignal(callId, signal));
    }

    /** The STUN/TURN servers of the last welcome (empty on a plain LAN). */
    public List<IceServer> iceServers() {
        return iceServers;
    }

    /** Freshly issued ICE servers (TURN credentials expire), over REST. */
    public List<IceServer> freshIceServers() {
        return auth.api().iceServers(auth.accessToken());
    }

    /** The call records of one conversation ({@code conv} > 0) or of all, newest first. */
    public List<LogEvent> history(long conv, int limit) {
        return auth.api().callHistory(auth.accessToken(), conv, limit);
    }

    /** A WebSocket ping/pong round trip, in nanoseconds. */
    public CompletableFuture<Long> ping() {
        return connection.ping();
    }

    public boolean connected() {
        return connection.isConnected();
    }

    void welcomed(ServerMessage.Welcome welcome) {
        iceServers = welcome.iceServers();
    }

    void connectionChanged(boolean connected) {
        listeners.forEach(l -> l.connectionChanged(connected));
    }

    /** Returns true when {@code message} was a call frame (and has been dispatched). */
    boolean dispatch(ServerMessage message) {
        switch (message) {
            case ServerMessage.CallRing ring -> listeners.forEach(l -> l.ring(ring));
            case ServerMessage.CallAccepted accepted -> listeners.forEach(l -> l.accepted(accepted));
            case ServerMessage.CallSignal signal -> listeners.forEach(l -> l.signal(signal));
            case ServerMessage.CallEnded ended -> listeners.forEach(l -> l.ended(ended));
            case ServerMessage.Welcome ignored -> {
                return false;
            }
            case ServerMessage.Pong ignored -> {
                return false;
            }
            case ServerMessage.Ack ignored -> {
                return false;
            }
            case ServerMessage.Events ignored -> {
                return false;
            }
            case ServerMessage.Event ignored -> {
                return false;
            }
            case ServerMessage.Typing ignored -> {
                return false;
            }
            case ServerMessage.Receipt ignored -> {
                return false;
            }
            case ServerMessage.Presence ignored -> {
                return false;
            }
            case ServerMessage.Conversation ignored -> {
                return false;
            }
            case ServerMessage.Error ignored -> {
                return false;
            }
        }
        return true;
    }
}
