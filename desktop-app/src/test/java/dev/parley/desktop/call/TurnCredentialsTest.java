package dev.parley.desktop.call;

import dev.parley.protocol.IceServer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TurnCredentialsTest {
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
    private static final IceServer STUN = new IceServer(List.of("stun:office:3478"), null, null);

    private static IceServer turnExpiringAt(long epochSeconds) {
        return new IceServer(List.of("turn:office:3478"), epochSeconds + ":42", "c2VjcmV0");
    }

    @Test
    void credentialsWithTimeLeftAreKept() {
        assertFalse(TurnCredentials.expiringSoon(List.of(STUN, turnExpiringAt(NOW.getEpochSecond() + 3600)), NOW));
        assertFalse(TurnCredentials.expiringSoon(List.of(), NOW));
        assertFalse(TurnCredentials.expiringSoon(List.of(STUN), NOW), "STUN has nothing to expire");
    }

    @Test
    void credentialsExpiredOrAboutToAreRenewed() {
        assertTrue(TurnCredentials.expiringSoon(List.of(STUN, turnExpiringAt(NOW.getEpochSecond() - 1)), NOW));
        assertTrue(TurnCredentials.expiringSoon(List.of(turnExpiringAt(NOW.getEpochSecond() + 60)), NOW),
                "within the five-minute margin");
    }

    @Test
    void usernamesOfAnotherSchemeAreLeftAlone() {
        IceServer fixed = new IceServer(List.of("turn:office:3478"), "parley", "static-password");
        IceServer odd = new IceServer(List.of("turn:office:3478"), "office:42", "x");
        assertFalse(TurnCredentials.expiringSoon(List.of(fixed, odd), NOW));
    }
}
