package dev.parley.desktop.call;

import dev.parley.desktop.net.CallChannel;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.IceServer;
import dev.parley.protocol.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link CallSignaling} over the relay connection's {@link CallChannel}. */
public final class RelayCallSignaling implements CallSignaling {
    private static final Logger LOG = LoggerFactory.getLogger(RelayCallSignaling.class);

    private final CallChannel channel;
    private final Clock clock;

    public RelayCallSignaling(CallChannel channel) {
        this(channel, Clock.systemUTC());
    }

    RelayCallSignaling(CallChannel channel, Clock clock) {
        this.channel = channel;
        this.clock = clock;
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

    /**
     * The welcome's list, or a fresh one over REST when its TURN credentials are about to expire (an app connected
     * for longer than their lifetime would otherwise fail every call that needs TURN). Blocking; called when a call
     * opens its media. If the relay cannot be asked, the old list is still worth trying.
     */
    @Override
    public List<IceServer> iceServers() {
        List<IceServer> known = channel.iceServers();
        if (!TurnCredentials.expiringSoon(known, clock.instant())) {
            return known;
        }
        try {
            return channel.freshIceServers();
        } catch (RuntimeException e) {
            LOG.warn("could not renew the TURN credentials; trying the old ones: {}", e.getMessage());
            return known;
        }
    }
}
