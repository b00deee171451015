package dev.parley.relay.chat;

import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.ServerMessage;
import dev.parley.relay.connection.Broadcaster;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Delivers committed log events to every connected device of every member. Runs on the writer thread in commit
 * order, and each frame is encoded once however many devices receive it.
 */
public final class Fanout {
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
                announceConversation(event.conv(), event.member());
            }
            broadcaster.sendEncoded(recipients, broadcaster.encode(new ServerMessage.Event(event)), originConnection);
        }
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
