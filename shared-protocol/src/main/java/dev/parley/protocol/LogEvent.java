package dev.parley.protocol;

/**
 * One entry of a conversation's append-only log. Which optional fields are set depends on {@code kind}
 * (see {@link EventKind}); {@code ts} and {@code editedAt} are epoch milliseconds set by the relay.
 */
public record LogEvent(
        long conv,
        long seq,
        EventKind kind,
        long sender,
        long ts,
        String clientId,
        String text,
        Long target,
        Long member,
        MemberRole role,
        Long editedAt,
        Boolean deleted,
        CallRecord call) {

    public LogEvent {
        Checks.required(kind, "kind");
    }

    /** Every kind but {@code call}. */
    public LogEvent(long conv, long seq, EventKind kind, long sender, long ts, String clientId, String text,
                    Long target, Long member, MemberRole role, Long editedAt, Boolean deleted) {
        this(conv, seq, kind, sender, ts, clientId, text, target, member, role, editedAt, deleted, null);
    }
}
