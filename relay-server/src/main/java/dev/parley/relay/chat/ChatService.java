package dev.parley.relay.chat;

import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Limits;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.MemberRole;
import dev.parley.protocol.PostPolicy;
import dev.parley.protocol.ReceiptKind;
import dev.parley.protocol.SearchText;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.protocol.api.MemberPage;
import dev.parley.protocol.api.SearchPage;
import dev.parley.protocol.api.UpdateConversationRequest;
import dev.parley.relay.RelayException;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The rules of conversations: who may read, post, edit, delete and manage members. Every sender and actor comes
 * from the authenticated connection or token, never from what a client wrote in a request.
 */
public final class ChatService {
    /** Seqs one search call looks at: about 10 ms of scanning on the build machine. */
    public static final int SEARCH_WINDOW = 10_000;
    /** Text one search call reads at most: long messages end a call's stretch early, not its cost. */
    public static final long SEARCH_MAX_CHARS = 2_000_000;

    private final ChatStore store;
    private final MemberDirectory directory;
    private final Fanout fanout;
    private final ConversationViews views;
    private final UserLookup users;
    private final Clock clock;

    public ChatService(ChatStore store, MemberDirectory directory, Fanout fanout, ConversationViews views,
                       UserLookup users, Clock clock) {
        this.store = store;
        this.directory = directory;
        this.fanout = fanout;
        this.views = views;
        this.users = users;
        this.clock = clock;
    }

    // ---- messages ------------------------------------------------------------------------------------------------

    public CompletableFuture<Appended> send(long sender, long conv, String clientId, String text, long origin) {
        return store.appendMessage(conv, sender, clientId, text, clock.millis(), fanout.from(origin));
    }

    public CompletableFuture<LogEvent> edit(long user, long conv, long seq, String text, long origin) {
        return store.editMessage(conv, user, seq, text, clock.millis(), fanout.from(origin));
    }

    public CompletableFuture<LogEvent> delete(long user, long conv, long seq, long origin) {
        boolean moderatedKind = readableKind(user, conv) != ConversationKind.DM;
        return store.deleteMessage(conv, user, seq, moderatedKind, clock.millis(), fanout.from(origin));
    }

    public EventPage eventsAfter(long user, long conv, long after, int limit) {
        readableKind(user, conv);
        return store.eventsAfter(conv, after, limit);
    }

    public EventPage eventsBefore(long user, long conv, Long before, int limit) {
        readableKind(user, conv);
        return store.eventsBefore(conv, before, limit);
    }

    /**
     * Messages of a conversation the user can read whose text contains {@code query} (any letter case, Unicode),
     * newest first, looking at most {@link #SEARCH_WINDOW} seqs and {@link #SEARCH_MAX_CHARS} characters below
     * {@code before} per call, so one request costs about the same on any conversation. No index: nothing is added
     * to the write path of every message.
     */
    public SearchPage search(long user, long conv, String query, Long before, int limit) {
        ConversationRecord c = readable(user, conv);
        String needle = query == null ? "" : SearchText.normalize(query.strip());
        if (needle.length() < Limits.MIN_SEARCH_LENGTH || needle.length() > Limits.MAX_SEARCH_LENGTH) {
            throw RelayException.invalid("a search needs " + Limits.MIN_SEARCH_LENGTH + " to "
                    + Limits.MAX_SEARCH_LENGTH + " characters");
        }
        long upper = Math.min(before == null ? Long.MAX_VALUE : before, c.lastSeq() + 1);
        long from = Math.max(1, upper - SEARCH_WINDOW);
        ChatStore.MessageScan scan = store.scanMessages(conv, from, upper,
                text -> SearchText.normalize(text).contains(needle), limit, SEARCH_MAX_CHARS);
        return new SearchPage(conv, scan.hits(), scan.examinedDownTo(), scan.examinedDownTo() <= 1);
    }

    /** Calls the user took part in, newest first; within one conversation they must be able to read. */
    public List<LogEvent> callHistory(long user, Long conv, int limit) {
        if (conv != null) {
            readableKind(user, conv);
        }
        return store.callHistory(user, conv, limit);
    }

    public void typing(long user, long conv, long origin) {
        if (directory.kindOf(conv).isEmpty()) {
            throw RelayException.notFound("conversation " + conv);
        }
        if (!directory.isMember(conv, user)) {
            throw notMember(conv);
        }
        Set<Long> others = new LinkedHashSet<>(directory.members(conv));
        others.remove(user);
        fanout.sendToUsers(others, new ServerMessage.Typing(conv, user), origin);
    }

    public CompletableFuture<Long> markRead(long user, long conv, long seq, long origin) {
        return receipt(user, conv, ReceiptKind.READ, store.markRead(conv, user, seq), origin);
    }

    public CompletableFuture<Long> markDelivered(long user, long conv, long seq, long origin) {
        return receipt(user, conv, ReceiptKind.DELIVERED, store.markDelivered(conv, user, seq), origin);
    }

    /** Receipts go to everyone in DMs and groups, but only to the reader's own devices in (large) channels. */
    private CompletableFuture<Long> receipt(long user, long conv, ReceiptKind kind, CompletableFuture<Long> mark,
                                            long origin) {
        return mark.thenApply(seq -> {
            boolean channel = store.conversation(conv).map(c -> c.kind() == ConversationKind.CHANNEL).orElse(true);
            Set<Long> audience = channel ? Set.of(user) : directory.members(conv);
            fanout.sendToUsers(audience, new ServerMessage.Receipt(conv, user, kind, seq), origin);
            return seq;
        });
    }

    // ---- conversations ---------------------------------------------------------------------------------------------

    public List<ConversationSummary> conversationsOf(long user) {
        return store.conversationsOf(user).stream().map(c -> views.summary(c, user)).toList();
    }

    public List<ConversationSummary> channels(long user) {
        return store.channels().stream().map(c -> views.summary(c, user)).toList();
    }

    public ConversationSummary conversation(long user, long conv) {
        return views.summary(readable(user, conv), user);
    }

    /**
     * A page of a conversation's members by user id (a channel's summary lists none, and a channel may be large).
     * Readable by whoever may read the conversation.
     */
    public MemberPage members(long user, long conv, long afterUser, int limit) {
        ConversationRecord c = readable(user, conv);
        List<MemberRecord> records = store.members(conv, afterUser, limit + 1);
        boolean hasMore = records.size() > limit;
        List<MemberRecord> page = hasMore ? records.subList(0, limit) : records;
        return new MemberPage(conv, views.members(c.kind(), page), hasMore);
    }

    /** A conversation as its creator sees it, and whether this request created it (false: an existing DM). */
    public record Created(ConversationSummary conversation, boolean created) {
    }

    public Created create(long creator, CreateConversationRequest request) {
        if (request.kind() == null) {
            throw RelayException.invalid("'kind' must be dm, group or channel");
        }
        Set<Long> members = new LinkedHashSet<>(request.members());
        requireUsersExist(members);
        NewConversation conversation = switch (request.kind()) {
            case DM -> {
                members.remove(creator);
                if (members.size() != 1) {
                    throw RelayException.invalid("a DM names exactly one other user in 'members'");
                }
                long other = members.iterator().next();
                String key = Math.min(creator, other) + ":" + Math.max(creator, other);
                yield new NewConversation(ConversationKind.DM, null, null, PostPolicy.EVERYONE, creator,
                        List.of(other), key);
            }
            case GROUP, CHANNEL -> {
                members.remove(creator);
                if (members.size() + 1 > Limits.MAX_GROUP_MEMBERS) {
                    throw RelayException.invalid("a conversation starts with at most " + Limits.MAX_GROUP_MEMBERS
                            + " members");
                }
                PostPolicy policy = request.kind() == ConversationKind.CHANNEL && request.postPolicy() != null
                        ? request.postPolicy() : PostPolicy.EVERYONE;
                yield new NewConversation(request.kind(), name(request.name()), topic(request.topic()), policy,
                        creator, List.copyOf(members), null);
            }
        };
        Optional<Long> existingDm = conversation.dmKey() == null ? Optional.empty() : store.findDm(conversation.dmKey());
        if (existingDm.isPresent()) {
            return new Created(conversation(creator, existingDm.get()), false);
        }
        long id = await(store.createConversation(conversation, clock.millis(), fanout.from(0)));
        return new Created(conversation(creator, id), true);
    }

    public ConversationSummary update(long actor, long conv, UpdateConversationRequest request) {
        ConversationRecord c = requireManager(actor, conv);
        if (c.kind() == ConversationKind.DM) {
            throw RelayException.forbidden("a DM has no name, topic or policy to change");
        }
        String name = request.name() == null ? null : name(request.name());
        String topic = request.topic() == null ? null : topic(request.topic());
        if (request.postPolicy() != null && c.kind() != ConversationKind.CHANNEL) {
            throw RelayException.invalid("only channels have a post policy");
        }
        ConversationRecord updated = await(store.update(conv, name, topic, request.postPolicy()));
        ConversationSummary summary = views.summary(updated, actor);
        for (long member : directory.members(conv)) {
            fanout.sendToUsers(List.of(member), new ServerMessage.Conversation(views.summary(updated, member)), 0);
        }
        return summary;
    }

    public ConversationSummary addMembers(long actor, long conv, List<Long> newMembers) {
        ConversationRecord c = requireManager(actor, conv);
        if (c.kind() == ConversationKind.DM) {
            throw RelayException.forbidden("a DM always has exactly two members; start a group instead");
        }
        if (newMembers.isEmpty()) {
            throw RelayException.invalid("'users' names at least one user to add");
        }
        Set<Long> unique = new LinkedHashSet<>(newMembers);
        requireUsersExist(unique);
        int limit = c.kind() == ConversationKind.GROUP ? Limits.MAX_GROUP_MEMBERS : Integer.MAX_VALUE;
        await(store.addMembers(conv, actor, List.copyOf(unique), limit, clock.millis(), fanout.from(0)));
        return conversation(actor, conv);
    }

    public void removeMember(long actor, long conv, long user) {
        if (actor == user) {
            leave(user, conv);
            return;
        }
        requireManager(actor, conv);
        MemberRecord target = store.member(conv, user)
                .orElseThrow(() -> RelayException.notFound("member " + user + " of conversation " + conv));
        MemberRole actorRole = store.member(conv, actor).map(MemberRecord::role).orElseThrow();
        if (target.role() == MemberRole.ADMIN && actorRole != MemberRole.OWNER) {
            throw RelayException.forbidden("only the owner can remove an admin");
        }
        await(store.removeMember(conv, actor, user, clock.millis(), fanout.from(0)));
    }

    public void leave(long user, long conv) {
        ConversationRecord c = requireMember(user, conv);
        if (c.kind() == ConversationKind.DM) {
            throw RelayException.forbidden("you cannot leave a DM");
        }
        // The owner leaves only as the last member; the store checks that inside the write.
        await(store.removeMember(conv, user, user, clock.millis(), fanout.from(0)));
    }

    public ConversationSummary join(long user, long conv) {
        ConversationRecord c = store.conversation(conv).orElseThrow(() -> RelayException.notFound("conversation "
                + conv));
        if (c.kind() != ConversationKind.CHANNEL) {
            throw RelayException.forbidden("only channels can be joined; ask a member to add you");
        }
        if (!directory.isMember(conv, user)) {
            // Channels have no member limit.
            await(store.addMembers(conv, user, List.of(user), Integer.MAX_VALUE, clock.millis(), fanout.from(0)));
        }
        return conversation(user, conv);
    }

    /** The owner sets admin or member; handing over ownership demotes the old owner to admin. */
    public ConversationSummary setRole(long actor, long conv, long user, MemberRole role) {
        if (role == null) {
            throw RelayException.invalid("'role' must be owner, admin or member");
        }
        ConversationRecord c = requireMember(actor, conv);
        if (c.kind() == ConversationKind.DM) {
            throw RelayException.forbidden("a DM has no roles");
        }
        if (user == actor) {
            throw RelayException.invalid("hand ownership to another member instead of changing your own role");
        }
        // Whether the actor owns the conversation is checked inside the write (setRoleAsOwner), not before it.
        await(store.setRoleAsOwner(conv, actor, user, role, clock.millis(), fanout.from(0)));
        return conversation(actor, conv);
    }

    // ---- rules -----------------------------------------------------------------------------------------------------

    /**
     * The hot-path form of {@link #readable}: paging and deleting ask only the kind, which never changes, so it comes
     * from the directory's cache instead of a query.
     */
    private ConversationKind readableKind(long user, long conv) {
        ConversationKind kind = directory.kindOf(conv)
                .orElseThrow(() -> RelayException.notFound("conversation " + conv));
        if (kind != ConversationKind.CHANNEL && !directory.isMember(conv, user)) {
            throw notMember(conv);
        }
        return kind;
    }

    /** Channels are readable by every user; DMs and groups only by their members. */
    private ConversationRecord readable(long user, long conv) {
        ConversationRecord c = store.conversation(conv)
                .orElseThrow(() -> RelayException.notFound("conversation " + conv));
        if (c.kind() != ConversationKind.CHANNEL && !directory.isMember(conv, user)) {
            throw notMember(conv);
        }
        return c;
    }

    private ConversationRecord requireMember(long user, long conv) {
        ConversationRecord c = store.conversation(conv)
                .orElseThrow(() -> RelayException.notFound("conversation " + conv));
        if (!directory.isMember(conv, user)) {
            throw notMember(conv);
        }
        return c;
    }

    private ConversationRecord requireManager(long user, long conv) {
        ConversationRecord c = requireMember(user, conv);
        Optional<MemberRecord> me = store.member(conv, user);
        if (me.isEmpty() || !me.get().role().canManage()) {
            throw RelayException.forbidden("only the owner and admins can manage this conversation");
        }
        return c;
    }

    private void requireUsersExist(Set<Long> ids) {
        Set<Long> found = users.summaries(ids).keySet();
        for (long id : ids) {
            if (!found.contains(id)) {
                throw RelayException.notFound("user " + id);
            }
        }
    }

    private static RelayException notMember(long conv) {
        return new RelayException(ErrorCode.NOT_MEMBER, "you are not a member of conversation " + conv);
    }

    private static String name(String raw) {
        if (raw == null || raw.isBlank()) {
            throw RelayException.invalid("'name' is required for groups and channels");
        }
        String name = raw.strip();
        if (name.length() > Limits.MAX_CONVERSATION_NAME_LENGTH) {
            throw new RelayException(ErrorCode.TOO_LONG, "a conversation name has at most "
                    + Limits.MAX_CONVERSATION_NAME_LENGTH + " characters");
        }
        return name;
    }

    private static String topic(String raw) {
        if (raw == null) {
            return null;
        }
        String topic = raw.strip();
        if (topic.length() > Limits.MAX_TOPIC_LENGTH) {
            throw new RelayException(ErrorCode.TOO_LONG, "a topic has at most " + Limits.MAX_TOPIC_LENGTH
                    + " characters");
        }
        return topic;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
