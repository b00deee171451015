package dev.parley.relay.chat;

import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.MemberInfo;
import dev.parley.protocol.UserSummary;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds conversations as one user sees them: their role, unread count, last message, and small member lists. */
public final class ConversationViews {
    private final ChatStore store;
    private final UserLookup users;

    public ConversationViews(ChatStore store, UserLookup users) {
        this.store = store;
        this.users = users;
    }

    public ConversationSummary summary(ConversationRecord c, long viewer) {
        Optional<MemberRecord> me = store.member(c.id(), viewer);
        List<MemberInfo> members = c.kind() == ConversationKind.CHANNEL ? List.of()
                : members(c.kind(), store.members(c.id()));
        long readSeq = me.map(MemberRecord::readSeq).orElse(0L);
        long unread = me.isPresent() ? store.unreadCount(c.id(), viewer, readSeq) : 0;
        return new ConversationSummary(c.id(), c.kind(), c.name(), c.topic(), c.postPolicy(),
                me.map(MemberRecord::role).orElse(null), c.memberCount(), members, c.lastSeq(), readSeq, unread,
                store.lastMessage(c.id()).orElse(null), c.lastActivity());
    }

    /**
     * Members with their accounts. Read marks only for DMs and groups: in a channel, who read how far is nobody
     * else's business (the summary never shows them either), so they are 0 there.
     */
    public List<MemberInfo> members(ConversationKind kind, List<MemberRecord> records) {
        Map<Long, UserSummary> summaries = users.summaries(records.stream().map(MemberRecord::userId).toList());
        boolean marks = kind != ConversationKind.CHANNEL;
        return records.stream()
                .filter(m -> summaries.containsKey(m.userId()))
                .map(m -> new MemberInfo(summaries.get(m.userId()), m.role(), marks ? m.readSeq() : 0,
                        marks ? m.deliveredSeq() : 0))
                .toList();
    }
}
