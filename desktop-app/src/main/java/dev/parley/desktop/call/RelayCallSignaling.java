package dev.parley.desktop.call;

import dev.parley.desktop.net.CallChannel;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.Signal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link CallSignaling} over the relay connection's {@link CallChannel}. */
public final class RelayCallSignaling implements CallSignaling {
    private final CallChannel channel;

    public RelayCallSignaling(CallChannel channel) {
        this.channel = channel;
    }

    @Override
    public CompletableFuture<String> invite(long conv, CallMedia media) {
        return channel.invite(conv, media);
    }

    @Override
    public CompletableFuture<Void> accept(String callId) {
        return channel.accept(callId);
    }

    @Override
    public CompletableFuture<Void> decline(String callId) {
        return channel.decline(callId);
    }

    @Override
    public CompletableFuture<Void> hangup(String callId) {
        return channel.hangup(callId);
    }

    @Override
    public void signal(String callId, Signal signal) {
        channel.signal(callId, signal);
    }

    @Override
    public List<IceServer> iceServers() {
        return channel.iceServers();
    }
}
