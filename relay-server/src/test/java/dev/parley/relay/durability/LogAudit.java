package dev.parley.relay.durability;

import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks stored conversation logs against what the clients sent and were acked. Collects every problem rather than
 * stopping at the first, so one failure shows the whole picture.
 */
final class LogAudit {
    private final Map<String, LogEvent> messagesByClientId = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    /** {@code logs}: the complete log of every conversation the clients wrote to, by conversation id. */
    LogAudit(Map<Long, List<LogEvent>> logs) {
        for (var entry : logs.entrySet()) {
            long conv = entry.getKey();
            List<LogEvent> events = entry.getValue();
            for (int i = 0; i < events.size(); i++) {
                LogEvent event = events.get(i);
                if (event.seq() != i + 1) {
                    problems.add("conversation " + conv + ": event #" + (i + 1) + " has seq " + event.seq()
                            + " (seqs must run 1..lastSeq without gaps)");
                    break;
                }
                if (event.conv() != conv) {
                    problems.add("conversation " + conv + " returned an event of conversation " + event.conv());
                }
            }
            for (LogEvent event : events) {
                if (event.kind() != EventKind.MESSAGE) {
                    continue;
                }
                if (event.clientId() == null) {
                    problems.add("conversation " + conv + ": message seq " + event.seq() + " has no clientId");
                    continue;
                }
                LogEvent earlier = messagesByClientId.put(event.clientId(), event);
                if (earlier != null) {
                    problems.add("clientId " + event.clientId() + " is stored twice: conversation "
                            + earlier.conv() + " seq " + earlier.seq() + " and conversation " + conv + " seq "
                            + event.seq());
                }
            }
        }
    }

    /** Every message a client generated is stored exactly once, in its conversation, with its text and sender. */
    LogAudit everySentMessageStoredOnce(OutboxSender sender) {
        for (OutboxSender.Outgoing message : sender.generated().values()) {
            LogEvent stored = messagesByClientId.get(message.clientId());
            if (stored == null) {
                problems.add(sender.name() + ": " + message + " is not stored");
            } else if (stored.conv() != message.conv() || !message.text().equals(stored.text())
                    || stored.sender() != sender.user().user().id()) {
                problems.add(sender.name() + ": " + message + " is stored as " + stored);
            }
        }
        return this;
    }

    /** Every acked message is stored under the very seq its ack named. */
    LogAudit ackedKeepTheirSeq(String label, Map<String, Long> acked) {
        for (var entry : acked.entrySet()) {
            LogEvent stored = messagesByClientId.get(entry.getKey());
            if (stored == null) {
                problems.add(label + ": clientId " + entry.getKey() + " was acked with seq " + entry.getValue()
                        + " but is not stored (a lost acked message)");
            } else if (stored.seq() != entry.getValue()) {
                problems.add(label + ": clientId " + entry.getKey() + " was acked with seq " + entry.getValue()
                        + " but is stored at seq " + stored.seq());
            }
        }
        return this;
    }

    /** No message in these conversations that no client sent (e.g. a duplicate under a new clientId). */
    LogAudit nothingButTheseMessages(List<OutboxSender> senders) {
        long expected = senders.stream().mapToLong(s -> s.generated().size()).sum();
        if (messagesByClientId.size() != expected) {
            problems.add("the logs hold " + messagesByClientId.size() + " distinct messages but the clients sent "
                    + expected);
        }
        return this;
    }

    int messageCount() {
        return messagesByClientId.size();
    }

    /** Fails with every problem found (the first 30 spelled out). */
    void assertClean() {
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " problem(s) in the stored logs:\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(30, problems.size()))));
        }
    }
}
