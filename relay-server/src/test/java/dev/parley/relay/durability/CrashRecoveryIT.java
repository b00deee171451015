package dev.parley.relay.durability;

import dev.parley.protocol.CloseCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Nothing lost, nothing doubled" across real crashes: the relay runs as its own process and is killed with
 * SIGKILL while four clients stream pipelined messages, twice (the second time while the clients are still
 * resending after the first). After each restart on the same data directory the clients reconnect and resend their
 * unacked messages with the same clientIds. Every acked message must still be stored under the seq its ack named,
 * every message must be stored exactly once, and every conversation's seqs must run 1..lastSeq without a gap.
 */
@Timeout(120)
class CrashRecoveryIT extends StreamingRelayTest {
    private static final int MESSAGES_PER_SENDER = 600;
    private static final int WINDOW = 32;
    /** Total acks (over all four clients) after which the relay is killed: mid-stream each time. */
    private static final List<Integer> KILL_AFTER_ACKS = List.of(700, 1400);

    @Test
    void ackedMessagesSurviveSigkillAndResentMessagesAreStoredOnce() throws Exception {
        long begin = System.nanoTime();
        scenario = new MessagingScenario(relay, MESSAGES_PER_SENDER, WINDOW, Duration.ofSeconds(90));
        int total = MESSAGES_PER_SENDER * scenario.senders().size();
        Map<String, Long> ackedBeforeKills = new HashMap<>();
        int duplicateChecks = 0;
        scenario.relayReady();

        for (int killAfter : KILL_AFTER_ACKS) {
            scenario.awaitAcks(killAfter, Duration.ofSeconds(30));
            int exit = relay.kill(Duration.ofSeconds(10));
            Map<String, Long> ackedBeforeKill = scenario.ackedSoFar();
            int unackedAtKill = scenario.unackedSoFar();
            System.out.printf("killed after %d acks with %d messages unacked%n", ackedBeforeKill.size(),
                    unackedAtKill);

            assertEquals(RelayProcess.EXIT_SIGKILL, exit, "destroyForcibly() must end the relay with SIGKILL");
            assertFalse(relay.logText().contains(RelayProcess.STOPPED_LINE),
                    "after SIGKILL the relay's shutdown hook must not have run");
            assertTrue(ackedBeforeKill.size() < total, "the kill came mid-stream");
            assertTrue(unackedAtKill > 0, "messages were in flight when the relay died");

            relay.start(READY);
            // Before any client is back: what the dead relay acked is stored, each under the seq its ack named.
            scenario.audit()
                    .ackedKeepTheirSeq("acked before the kill, checked before any resend", ackedBeforeKill)
                    .assertClean();
            duplicateChecks += scenario.assertAckedResendsAreDuplicates(ackedBeforeKill, 5);
            ackedBeforeKills.putAll(ackedBeforeKill);
            scenario.relayReady();
        }
        scenario.awaitSendersDone(Duration.ofSeconds(60));

        LogAudit audit = scenario.audit();
        audit.ackedKeepTheirSeq("acked before a kill", ackedBeforeKills);
        for (OutboxSender sender : scenario.senders()) {
            audit.everySentMessageStoredOnce(sender).ackedKeepTheirSeq(sender.name(), sender.acked());
        }
        audit.nothingButTheseMessages(scenario.senders()).assertClean();

        assertEquals(total, audit.messageCount());
        for (OutboxSender sender : scenario.senders()) {
            System.out.println(sender);
            assertEquals(MESSAGES_PER_SENDER, sender.acked().size(), sender.name() + " got every message acked");
            assertEquals(0, sender.unacked(), sender.name() + "'s outbox is empty");
            assertFalse(sender.losses().isEmpty(), sender.name() + " was streaming when the relay was killed");
            for (OutboxSender.Loss loss : sender.losses()) {
                assertTrue(loss.code() != CloseCodes.GOING_AWAY && loss.code() != CloseCodes.NORMAL,
                        "a killed relay cannot close cleanly: " + loss);
            }
            assertEquals(sender.losses().size() + 1, sender.connections(), sender.name()
                    + " connected once per relay run it took part in");
        }
        System.out.printf("CrashRecoveryIT: %d messages, %d kills, %d acked before a kill, %d resent, %d resends "
                        + "were already stored (duplicate acks), %d acked messages resent on purpose, %.1f s%n",
                total, KILL_AFTER_ACKS.size(), ackedBeforeKills.size(),
                scenario.senders().stream().mapToInt(OutboxSender::resent).sum(),
                scenario.senders().stream().mapToInt(OutboxSender::duplicateAcks).sum(), duplicateChecks,
                (System.nanoTime() - begin) / 1e9);
    }
}
