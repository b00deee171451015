package dev.parley.protocol;

import java.util.List;

/**
 * A conversation as one user sees it. {@code role} is null when the user is not a member (a channel they have not
 * joined). {@code members} is filled where the list is small enough to matter (DMs and groups), else empty;
 * {@code lastActivity} is epoch milliseconds.
 */
public record ConversationSummary(
        long id,
        ConversationKind kind,
        String name,
        String topic,
        PostPolicy postPolicy,
        MemberRole role,
        int memberCount,
        List<MemberInfo> members,
        long lastSeq,
        long readSeq,
        long unread,
        LogEvent lastMessage,
        long lastActivity) {

    public ConversationSummary {
        members = members == null ? List.of() : List.copyOf(members);
    }
}
