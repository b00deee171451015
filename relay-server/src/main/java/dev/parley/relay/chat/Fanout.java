package dev.parley.relay.chat;

import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.ServerMessage;
import dev.parley.relay.connection.Broadcaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Delivers committed log events to every connected device of every member. Runs on the writer thread in commit
 * order, and each frame is encoded once however many devices receive it.
 */
public final class Fanout {
    private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);
    private final Broadcaster broadcaster;
    private final MemberDirectory directory;
    private final ConversationViews views;
    private final ChatStore store;

    public Fanout(Broadcaster broadcaster, MemberDirectory directory, ConversationViews views, ChatStore store) {
        this.broadcaster = broadcaster;
        this.directory = directory;
        this.views = views;
        this.store = store;
    }

    /** A listener for one write; {@code originConnection} (0 for none) gets an ack instead of the event. */
    public CommitListener from(long originConnection) {
        return events -> deliver(events, originConnection);
    }

    private void deliver(List<LogEvent> events, long originConnection) {
        for (LogEvent event : events) {
            try {
                deliverOne(event, originConnection);
            } catch (RuntimeException e) {
                // One event's fan-out failing (a read that timed out) must not skip the rest, and the membership
                // cache must still learn of the change, or new members stay locked out until a restart. Applying
                // again is harmless; clients catch up on what they missed with sync.
                directory.apply(event);
                LOG.error("fan-out of {} in conversation {} failed", event.kind(), event.conv(), e);
            }
        }
    }

    private void deliverOne(LogEvent event, long originConnection) {
        Set<Long> recipients;
        if (event.kind() == EventKind.MEMBER_LEFT) {
            recipients = new HashSet<>(directory.members(event.conv()));
            recipients.add(event.member());
            directory.apply(event);
        } else {
            directory.apply(event);
            recipients = directory.members(event.conv());
        }
        if (event.kind() == EventKind.MEMBER_JOINED) {
            try {
                announceConversation(event.conv(), event.member());
            } catch (RuntimeException e) {
                // The members still hear of the join; the new member learns of the conversation at its next sync.
                LOG.error("announcing conversation {} to its new member {} failed", event.conv(), event.member(), e);
            }
        }
        broadcaster.sendEncoded(recipients, broadcaster.encode(new ServerMessage.Event(event)), originConnection);
    }

    /** Sends a frame to the devices of the given users, except the originating connection. */
    public void sendToUsers(Iterable<Long> users, ServerMessage message, long originConnection) {
        broadcaster.sendToUsers(users, message, originConnection);
    }

    private void announceConversation(long conv, long member) {
        if (!broadcaster.isOnline(member)) {
            return;
        }
        store.conversation(conv).ifPresent(record -> sendToUsers(List.of(member),
                new ServerMessage.Conversation(views.summary(record, member)), 0));
    }
}
