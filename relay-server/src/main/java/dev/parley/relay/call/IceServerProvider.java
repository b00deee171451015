package dev.parley.relay.call;

import dev.parley.protocol.IceServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The STUN and TURN servers clients use for calls. TURN credentials follow coturn's {@code use-auth-secret} scheme
 * (the "TURN REST API"): the username is {@code <expiry epoch seconds>:<user id>} and the password is the base64
 * HMAC-SHA1 of that username under the secret shared with coturn, so coturn can check them without asking the relay.
 * With nothing configured the list is empty: on a LAN, host candidates connect directly.
 */
public final class IceServerProvider {
    private final List<String> stunUrls;
    private final List<String> turnUrls;
    private final byte[] turnSecret;
    private final Duration ttl;
    private final Clock clock;

    public IceServerProvider(List<String> stunUrls, List<String> turnUrls, String turnSecret, Duration ttl,
                             Clock clock) {
        this.stunUrls = List.copyOf(stunUrls);
        this.turnUrls = List.copyOf(turnUrls);
        this.turnSecret = turnSecret == null ? new byte[0] : turnSecret.getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
        this.clock = clock;
        if (!turnUrls.isEmpty() && this.turnSecret.length == 0) {
            throw new IllegalArgumentException("turn-urls needs turn-secret (coturn's static-auth-secret)");
        }
    }

    public List<IceServer> forUser(long userId) {
        List<IceServer> servers = new ArrayList<>(2);
        if (!stunUrls.isEmpty()) {
            servers.add(new IceServer(stunUrls, null, null));
        }
        if (!turnUrls.isEmpty()) {
            String username = (clock.instant().plus(ttl).getEpochSecond()) + ":" + userId;
            servers.add(new IceServer(turnUrls, username, credential(username)));
        }
        return servers;
    }

    public Duration ttl() {
        return ttl;
    }

    String credential(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(turnSecret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
