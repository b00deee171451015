package dev.parley.relay.chat;

import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Who belongs to each conversation, cached for fan-out so delivering a message costs no query. Loaded from the
 * store on first use and kept current by the membership events the writer commits; both happen inside the map's
 * per-key atomic operations, so a load racing with a commit cannot leave a stale set behind.
 */
public final class MemberDirectory {
    private final ChatStore store;
    private final ConcurrentMap<Long, Set<Long>> members = new ConcurrentHashMap<>();
    private final ConcurrentMap<Long, ConversationKind> kinds = new ConcurrentHashMap<>();

    public MemberDirectory(ChatStore store) {
        this.store = store;
    }

    /**
     * Only conversations with members are cached (a null from the loader stores nothing): ids that do not exist, as
     * a client may send any number of, must not grow the map.
     */
    public Set<Long> members(long conv) {
        Set<Long> cached = members.computeIfAbsent(conv, id -> {
            Set<Long> loaded = Set.copyOf(store.memberIds(id));
            return loaded.isEmpty() ? null : loaded;
        });
        return cached == null ? Set.of() : cached;
    }

    /** A conversation's kind, which never changes once created; empty when there is no such conversation. */
    public Optional<ConversationKind> kindOf(long conv) {
        ConversationKind known = kinds.get(conv);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ConversationKind> stored = store.conversation(conv).map(ConversationRecord::kind);
        stored.ifPresent(kind -> kinds.put(conv, kind));
        return stored;
    }

    public boolean isMember(long conv, long user) {
        return members(conv).contains(user);
    }

    /** Applies a committed membership change; other events leave the directory as it is. */
    void apply(LogEvent event) {
        if (event.kind() == EventKind.MEMBER_JOINED) {
            members.computeIfPresent(event.conv(), (id, current) -> with(current, event.member(), true));
        } else if (event.kind() == EventKind.MEMBER_LEFT) {
            members.computeIfPresent(event.conv(), (id, current) -> with(current, event.member(), false));
        }
    }

    private static Set<Long> with(Set<Long> current, long member, boolean present) {
        Set<Long> next = new HashSet<>(current);
        if (present) {
            next.add(member);
        } else {
            next.remove(member);
        }
        return Set.copyOf(next);
    }
}
