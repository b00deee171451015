package dev.parley.desktop.call;

import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.net.ConnectionState;
import dev.parley.desktop.support.MutableClock;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.protocol.IceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TURN credentials older than their lifetime are renewed over REST before a call uses them, against a real relay. */
@Timeout(60)
class TurnRenewalIT {
    @Test
    void credentialsAboutToExpireAreFetchedAgainAndTheOldOnesServeWhenTheRelayIsAway() {
        try (RelayFixture relay = RelayFixture.start("--turn-urls", "turn:127.0.0.1:3478?transport=udp",
                "--turn-secret", "a-secret-shared-with-coturn", "--turn-ttl-seconds", "60")) {
            ChatClient alice = relay.client("alice", "Alice");
            await().atMost(Duration.ofSeconds(20)).until(() -> alice.state() == ConnectionState.CONNECTED);
            List<IceServer> fromWelcome = alice.calls().iceServers();
            assertEquals(1, fromWelcome.size());

            // A day later on the same connection: the welcome's credentials have run out.
            MutableClock dayLater = new MutableClock(Instant.now().plus(Duration.ofDays(1)));
            RelayCallSignaling signaling = new RelayCallSignaling(alice.calls(), dayLater);
            assertTrue(TurnCredentials.expiringSoon(fromWelcome, dayLater.instant()));
            List<IceServer> renewed = signaling.iceServers();
            assertEquals(1, renewed.size());
            assertFalse(renewed.getFirst().credential().isBlank(), "fresh credentials from GET /api/ice-servers");
            assertNotNull(renewed.getFirst().username());

            relay.stop();
            await().atMost(Duration.ofSeconds(20)).until(() -> alice.state() != ConnectionState.CONNECTED);
            assertEquals(fromWelcome, signaling.iceServers(), "the relay cannot be asked: the old list is tried");
        }
    }
}
