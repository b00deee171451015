package dev.parley.desktop.call;

import dev.parley.protocol.IceServer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When the relay's TURN credentials run out. They follow the TURN REST API (the relay's IceServerProvider): the
 * username is {@code <expiry epoch seconds>:<user id>}. An app stays connected for days, longer than their
 * lifetime (24 h by default), and the list it has is the one of its last welcome.
 */
final class TurnCredentials {
    /** Renewed this long before they expire, so they outlast the call's ICE set-up. */
    static final Duration MARGIN = Duration.ofMinutes(5);

    private TurnCredentials() {
    }

    /** True when a server's credentials expire within {@link #MARGIN} of {@code now} (or have expired). */
    static boolean expiringSoon(List<IceServer> servers, Instant now) {
        for (IceServer server : servers) {
            Long expiry = expiry(server);
            if (expiry != null && Instant.ofEpochSecond(expiry).isBefore(now.plus(MARGIN))) {
                return true;
            }
        }
        return false;
    }

    private static Long expiry(IceServer server) {
        String username = server.username();
        int colon = username == null ? -1 : username.indexOf(':');
        if (colon <= 0) {
            return null; // STUN, or credentials of another scheme: nothing known to expire
        }
        try {
            return Long.parseLong(username.substring(0, colon));
        } catch (NumberFormatException notTheRestScheme) {
            return null;
        }
    }
}
