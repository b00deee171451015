package dev.parley.desktop.chat;

import dev.parley.desktop.cache.OutboxEntry;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.MemberRole;

/**
 * One row of the chat: a message (confirmed, with its seq, or pending in the outbox with seq 0) or a notice
 * (joined, left, ...). Immutable; a change replaces the row.
 */
public record MessageItem(long seq, String clientId, EventKind kind, long sender, long ts, String text,
                          boolean edited, boolean deleted, boolean own, boolean pending, String error,
                          Long member, MemberRole role) {

    public static MessageItem of(LogEvent e, long me) {
        return new MessageItem(e.seq(), e.clientId(), e.kind(), e.sender(), e.ts(), e.text(), e.editedAt() != null,
                Boolean.TRUE.equals(e.deleted()), e.sender() == me, false, null, e.member(), e.role());
    }

    public static MessageItem pending(OutboxEntry entry, long me) {
        return new MessageItem(0, entry.clientId(), EventKind.MESSAGE, me, entry.createdAt(), entry.text(), false,
                false, true, true, entry.error(), null, null);
    }

    public boolean isMessage() {
        return kind == EventKind.MESSAGE;
    }

    public boolean isNotice() {
        return kind != EventKind.MESSAGE;
    }

    /** Own, confirmed, not deleted: can be edited and deleted. */
    public boolean editable() {
        return own && !pending && isMessage() && !deleted;
    }
}
