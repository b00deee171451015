package dev.parley.desktop.call;

import dev.parley.protocol.CallMedia;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.Signal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The relay side of a call as the {@link CallSession} needs it; {@link RelayCallSignaling} in the app, fakes in tests. */
public interface CallSignaling {
    /** Completes with the new call's id. */
    CompletableFuture<String> invite(long conv, CallMedia media);

    CompletableFuture<Void> accept(String callId);

    CompletableFuture<Void> decline(String callId);

    CompletableFuture<Void> hangup(String callId);

    void signal(String callId, Signal signal);

    List<IceServer> iceServers();
}
