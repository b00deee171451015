package dev.parley.relay.durability;

import dev.parley.protocol.CloseCodes;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM while four clients stream messages: the relay's shutdown hook stops taking requests, commits and acks
 * what is queued, closes every connection with 1001 (going away) and exits promptly. Whatever was in flight got an
 * ack, an "unavailable" error or the clean close; after a restart the clients resend their unacked messages and
 * every message is stored exactly once, every ack under its seq.
 */
@Timeout(120)
class GracefulShutdownIT extends StreamingRelayTest {
    private static final int MESSAGES_PER_SENDER = 600;
    private static final int WINDOW = 32;
    private static final int ACKS_BEFORE_STOP = 800;
    private static final Duration EXIT_DEADLINE = Duration.ofSeconds(10);

    @Test
    void sigtermCommitsQueuedWritesClosesWithGoingAwayAndLosesNothing() throws Exception {
        long begin = System.nanoTime();
        scenario = new MessagingScenario(relay, MESSAGES_PER_SENDER, WINDOW, Duration.ofSeconds(90));
        scenario.relayReady();
        scenario.awaitAcks(ACKS_BEFORE_STOP, Duration.ofSeconds(30));

        assertTrue(relay.process().supportsNormalTermination(), "destroy() must send SIGTERM, not SIGKILL");
        long stopAt = System.nanoTime();
        int exit = relay.terminate(EXIT_DEADLINE);
        double stopSeconds = (System.nanoTime() - stopAt) / 1e9;
        assertEquals(RelayProcess.EXIT_SIGTERM, exit, "the relay ends as a SIGTERM'd JVM does");
        assertTrue(relay.logText().contains(RelayProcess.STOPPED_LINE),
                "the shutdown hook ran to its end; log:\n" + relay.logText());

        // Every client sees the relay say goodbye with 1001; none sees a broken connection.
        Awaitility.await("every client notices the shutdown")
                .atMost(Duration.ofSeconds(10))
                .until(() -> scenario.senders().stream().allMatch(s -> !s.losses().isEmpty()));
        int unansweredAtClose = 0;
        for (OutboxSender sender : scenario.senders()) {
            assertEquals(1, sender.losses().size(), sender.toString());
            OutboxSender.Loss loss = sender.losses().getFirst();
            assertEquals(CloseCodes.GOING_AWAY, loss.code(), sender.name() + " saw " + loss);
            unansweredAtClose += loss.unanswered();
        }
        Map<String, Long> ackedBeforeStop = scenario.ackedSoFar();
        int unackedAtStop = scenario.unackedSoFar();
        System.out.printf("SIGTERM after %d acks; exit took %.2f s; %d acked, %d unacked, %d sends unanswered at the "
                        + "close, %d unavailable errors%n", ACKS_BEFORE_STOP, stopSeconds, ackedBeforeStop.size(),
                unackedAtStop, unansweredAtClose,
                scenario.senders().stream().mapToInt(OutboxSender::unavailableErrors).sum());
        assertTrue(ackedBeforeStop.size() < MESSAGES_PER_SENDER * scenario.senders().size(),
                "the shutdown came mid-stream");

        relay.start(READY);
        scenario.audit()
                .ackedKeepTheirSeq("acked before the shutdown, checked before any resend", ackedBeforeStop)
                .assertClean();
        int duplicateChecks = scenario.assertAckedResendsAreDuplicates(ackedBeforeStop, 5);

        scenario.relayReady();
        scenario.awaitSendersDone(Duration.ofSeconds(60));

        LogAudit audit = scenario.audit();
        audit.ackedKeepTheirSeq("acked before the shutdown", ackedBeforeStop);
        for (OutboxSender sender : scenario.senders()) {
            audit.everySentMessageStoredOnce(sender).ackedKeepTheirSeq(sender.name(), sender.acked());
        }
        audit.nothingButTheseMessages(scenario.senders()).assertClean();

        int expected = MESSAGES_PER_SENDER * scenario.senders().size();
        assertEquals(expected, audit.messageCount());
        for (OutboxSender sender : scenario.senders()) {
            System.out.println(sender);
            assertEquals(MESSAGES_PER_SENDER, sender.acked().size(), sender.name() + " got every message acked");
            assertEquals(0, sender.unacked(), sender.name() + "'s outbox is empty");
            assertEquals(2, sender.connections(), sender.name() + " connected once per relay run");
        }
        System.out.printf("GracefulShutdownIT: %d messages, %d acked before SIGTERM, %d resent, %d duplicate acks, "
                        + "%d acked messages resent on purpose, %.1f s%n", expected, ackedBeforeStop.size(),
                scenario.senders().stream().mapToInt(OutboxSender::resent).sum(),
                scenario.senders().stream().mapToInt(OutboxSender::duplicateAcks).sum(), duplicateChecks,
                (System.nanoTime() - begin) / 1e9);
    }
}
