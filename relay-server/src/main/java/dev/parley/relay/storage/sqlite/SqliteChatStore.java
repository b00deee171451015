package dev.parley.relay.storage.sqlite;

import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.CallOutcome;
import dev.parley.protocol.CallRecord;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.MemberRole;
import dev.parley.protocol.PostPolicy;
import dev.parley.relay.RelayException;
import dev.parley.relay.chat.Appended;
import dev.parley.relay.chat.ChatStore;
import dev.parley.relay.chat.CommitListener;
import dev.parley.relay.chat.ConversationRecord;
import dev.parley.relay.chat.EventPage;
import dev.parley.relay.chat.MemberRecord;
import dev.parley.relay.chat.NewConversation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

public final class SqliteChatStore implements ChatStore {
    private static final String CONV_COLUMNS = "c.id, c.kind, c.name, c.topic, c.post_policy, c.created_by, "
            + "c.created_at, c.last_seq, c.last_activity, "
            + "(SELECT count(*) FROM members mc WHERE mc.conv_id = c.id)";
    private static final String EVENT_COLUMNS = "conv_id, seq, kind, sender_id, ts, client_id, text, target_seq, "
            + "member_id, role, edited_at, deleted, call_id, call_media, call_outcome, call_reason, call_started_at, "
            + "call_duration_ms";

    private final SqliteDatabase db;

    public SqliteChatStore(SqliteDatabase db) {
        this.db = db;
    }

    // ---- reads -------------------------------------------------------------------------------------------------

    @Override
    public Optional<ConversationRecord> conversation(long id) {
        return db.read(c -> conversation(c, id));
    }

    private static Optional<ConversationRecord> conversation(Connection c, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + CONV_COLUMNS + " FROM conversations c "
                + "WHERE c.id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(conversationRow(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<Long> findDm(String dmKey) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM conversations WHERE dm_key = ?")) {
                st.setString(1, dmKey);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<MemberRecord> member(long conv, long userId) {
        return db.read(c -> member(c, conv, userId));
    }

    private static Optional<MemberRecord> member(Connection c, long conv, long userId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT conv_id, user_id, role, read_seq, delivered_seq "
                + "FROM members WHERE conv_id = ? AND user_id = ?")) {
            st.setLong(1, conv);
            st.setLong(2, userId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(memberRow(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public Set<Long> memberIds(long conv) {
        return db.read(c -> {
            Set<Long> ids = new HashSet<>();
            try (PreparedStatement st = c.prepareStatement("SELECT user_id FROM members WHERE conv_id = ?")) {
                st.setLong(1, conv);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids;
        });
    }

    @Override
    public List<MemberRecord> members(long conv) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT conv_id, user_id, role, read_seq, delivered_seq "
                    + "FROM members WHERE conv_id = ? ORDER BY joined_at, user_id")) {
                st.setLong(1, conv);
                return memberRows(st);
            }
        });
    }

    @Override
    public List<MemberRecord> members(long conv, long afterUser, int limit) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT conv_id, user_id, role, read_seq, delivered_seq "
                    + "FROM members WHERE conv_id = ? AND user_id > ? ORDER BY user_id LIMIT ?")) {
                st.setLong(1, conv);
                st.setLong(2, afterUser);
                st.setInt(3, limit);
                return memberRows(st);
            }
        });
    }

    private static List<MemberRecord> memberRows(PreparedStatement st) throws SQLException {
        List<MemberRecord> members = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                members.add(memberRow(rs));
            }
        }
        return members;
    }

    @Override
    public List<ConversationRecord> conversationsOf(long userId) {
        return conversations("SELECT " + CONV_COLUMNS + " FROM conversations c JOIN members m ON m.conv_id = c.id "
                + "WHERE m.user_id = ? ORDER BY c.last_activity DESC, c.id DESC", userId);
    }

    @Override
    public List<ConversationRecord> channels() {
        return conversations("SELECT " + CONV_COLUMNS + " FROM conversations c WHERE c.kind = 'channel' "
                + "ORDER BY c.name COLLATE NOCASE, c.id");
    }

    private List<ConversationRecord> conversations(String sql, long... params) {
        return db.read(c -> {
            List<ConversationRecord> result = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    st.setLong(i + 1, params[i]);
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        result.add(conversationRow(rs));
                    }
                }
            }
            return result;
        });
    }

    @Override
    public EventPage eventsAfter(long conv, long afterSeq, int limit) {
        return db.read(c -> {
            List<LogEvent> events = new ArrayList<>(limit + 1);
            try (PreparedStatement st = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM events "
                    + "WHERE conv_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                st.setLong(1, conv);
                st.setLong(2, afterSeq);
                st.setInt(3, limit + 1);
                readEvents(st, events);
            }
            boolean hasMore = events.size() > limit;
            if (hasMore) {
                events.removeLast();
            }
            return new EventPage(events, hasMore, lastSeq(c, conv));
        });
    }

    @Override
    public EventPage eventsBefore(long conv, Long beforeSeq, int limit) {
        return db.read(c -> {
            List<LogEvent> events = new ArrayList<>(limit + 1);
            try (PreparedStatement st = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM events "
                    + "WHERE conv_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?")) {
                st.setLong(1, conv);
                st.setLong(2, beforeSeq == null ? Long.MAX_VALUE : beforeSeq);
                st.setInt(3, limit + 1);
                readEvents(st, events);
            }
            boolean hasMore = events.size() > limit;
            if (hasMore) {
                events.removeLast();
            }
            Collections.reverse(events);
            return new EventPage(events, hasMore, lastSeq(c, conv));
        });
    }

    @Override
    public MessageScan scanMessages(long conv, long fromSeq, long beforeSeq, Predicate<String> matches, int limit,
                                    long maxChars) {
        return db.read(c -> {
            List<Long> hitSeqs = new ArrayList<>();
            long examinedDownTo = fromSeq;
            try (PreparedStatement st = c.prepareStatement("SELECT seq, text FROM events WHERE conv_id = ? "
                    + "AND seq >= ? AND seq < ? AND kind = 'message' AND deleted = 0 ORDER BY seq DESC")) {
                st.setLong(1, conv);
                st.setLong(2, fromSeq);
                st.setLong(3, beforeSeq);
                try (ResultSet rs = st.executeQuery()) {
                    long chars = 0;
                    while (rs.next()) {
                        String text = rs.getString(2);
                        if (text != null && matches.test(text)) {
                            hitSeqs.add(rs.getLong(1));
                        }
                        chars += text == null ? 0 : text.length();
                        if (hitSeqs.size() == limit || chars >= maxChars) {
                            examinedDownTo = rs.getLong(1);
                            break;
                        }
                    }
                }
            }
            List<LogEvent> hits = new ArrayList<>(hitSeqs.size());
            if (!hitSeqs.isEmpty()) {
                // At most a page of hits: their whole rows by key, not the stretch between them.
                String keys = String.join(", ", Collections.nCopies(hitSeqs.size(), "?"));
                try (PreparedStatement st = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM events "
                        + "WHERE conv_id = ? AND seq IN (" + keys + ") AND kind = 'message' AND deleted = 0 "
                        + "ORDER BY seq DESC")) {
                    st.setLong(1, conv);
                    for (int i = 0; i < hitSeqs.size(); i++) {
                        st.setLong(i + 2, hitSeqs.get(i));
                    }
                    readEvents(st, hits);
                }
            }
            return new MessageScan(hits, examinedDownTo);
        });
    }

    @Override
    public Optional<LogEvent> lastMessage(long conv) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM events "
                    + "WHERE conv_id = ? AND kind = 'message' ORDER BY seq DESC LIMIT 1")) {
                st.setLong(1, conv);
                List<LogEvent> events = new ArrayList<>(1);
                readEvents(st, events);
                return events.stream().findFirst();
            }
        });
    }

    @Override
    public long unreadCount(long conv, long userId, long readSeq) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM events WHERE conv_id = ? "
                    + "AND seq > ? AND kind = 'message' AND sender_id <> ? AND deleted = 0")) {
                st.setLong(1, conv);
                st.setLong(2, readSeq);
                st.setLong(3, userId);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public Set<Long> contactsOf(long userId) {
        return db.read(c -> {
            Set<Long> ids = new HashSet<>();
            try (PreparedStatement st = c.prepareStatement("SELECT DISTINCT other.user_id FROM members mine "
                    + "JOIN conversations c ON c.id = mine.conv_id AND c.kind <> 'channel' "
                    + "JOIN members other ON other.conv_id = mine.conv_id "
                    + "WHERE mine.user_id = ? AND other.user_id <> mine.user_id")) {
                st.setLong(1, userId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids;
        });
    }

    @Override
    public long countConversations() {
        return scalar("SELECT count(*) FROM conversations");
    }

    @Override
    public long countEvents() {
        return scalar("SELECT coalesce(sum(last_seq), 0) FROM conversations");
    }

    private long scalar(String sql) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // ---- writes ------------------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Appended> appendMessage(long conv, long sender, String clientId, String text, long now,
                                                     CommitListener listener) {
        return logging(listener, SqliteChatStore::logged, textBytes(text), tx -> {
            Optional<LogEvent> earlier = byClientId(tx, sender, clientId);
            if (earlier.isPresent()) {
                if (earlier.get().conv() != conv) {
                    throw new RelayException(ErrorCode.CONFLICT, "clientId " + clientId
                            + " was already used for a message in another conversation");
                }
                return new Appended(earlier.get(), true);
            }
            requirePoster(tx, conv, sender);
            long seq = nextSeq(tx, conv, now);
            LogEvent event = new LogEvent(conv, seq, EventKind.MESSAGE, sender, now, clientId, text, null, null,
                    null, null, null);
            insert(tx, event);
            return new Appended(event, false);
        });
    }

    @Override
    public CompletableFuture<LogEvent> editMessage(long conv, long user, long seq, String text, long now,
                                                   CommitListener listener) {
        return logging(listener, List::of, textBytes(text), tx -> {
            requireMember(tx, conv, user);
            LogEvent target = requireMessage(tx, conv, seq);
            if (target.sender() != user) {
                throw RelayException.forbidden("only its sender can edit a message");
            }
            try (PreparedStatement st = tx.prepareStatement(
                    "UPDATE events SET text = ?, edited_at = ? WHERE conv_id = ? AND seq = ?")) {
                st.setString(1, text);
                st.setLong(2, now);
                st.setLong(3, conv);
                st.setLong(4, seq);
                st.executeUpdate();
            }
            LogEvent edit = new LogEvent(conv, nextSeq(tx, conv, now), EventKind.EDITED, user, now, null, text,
                    seq, null, null, null, null);
            insert(tx, edit);
            return edit;
        });
    }

    @Override
    public CompletableFuture<LogEvent> deleteMessage(long conv, long user, long seq, boolean asModerator, long now,
                                                     CommitListener listener) {
        return logging(listener, List::of, tx -> {
            MemberRecord member = requireMember(tx, conv, user);
            LogEvent target = requireMessage(tx, conv, seq);
            if (target.sender() != user && !(asModerator && member.role().canManage())) {
                throw RelayException.forbidden("only its sender or a conversation admin can delete a message");
            }
            try (PreparedStatement st = tx.prepareStatement(
                    "UPDATE events SET text = NULL, deleted = 1 WHERE conv_id = ? AND seq = ?")) {
                st.setLong(1, conv);
                st.setLong(2, seq);
                st.executeUpdate();
            }
            // The edits of a deleted message carried its text too; a tombstone keeps none of it.
            try (PreparedStatement st = tx.prepareStatement("UPDATE events SET text = NULL "
                    + "WHERE conv_id = ? AND seq > ? AND kind = 'edited' AND target_seq = ?")) {
                st.setLong(1, conv);
                st.setLong(2, seq);
                st.setLong(3, seq);
                st.executeUpdate();
            }
            LogEvent delete = new LogEvent(conv, nextSeq(tx, conv, now), EventKind.DELETED, user, now, null,
                    null, seq, null, null, null, null);
            insert(tx, delete);
            return delete;
        });
    }

    @Override
    public CompletableFuture<Long> createConversation(NewConversation nc, long now, CommitListener listener) {
        List<LogEvent> logged = new ArrayList<>();
        return logging(listener, id -> List.copyOf(logged), tx -> {
            if (nc.dmKey() != null) {
                try (PreparedStatement st = tx.prepareStatement("SELECT id FROM conversations WHERE dm_key = ?")) {
                    st.setString(1, nc.dmKey());
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next()) {
                            return rs.getLong(1);
                        }
                    }
                }
            }
            long id;
            try (PreparedStatement st = tx.prepareStatement("INSERT INTO conversations (kind, name, topic, "
                    + "post_policy, dm_key, created_by, created_at, last_activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    + "RETURNING id")) {
                st.setString(1, wire(nc.kind()));
                st.setString(2, nc.name());
                st.setString(3, nc.topic());
                st.setString(4, wire(nc.postPolicy()));
                st.setString(5, nc.dmKey());
                st.setLong(6, nc.creator());
                st.setLong(7, now);
                st.setLong(8, now);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            LogEvent created = new LogEvent(id, nextSeq(tx, id, now), EventKind.CREATED, nc.creator(), now,
                    null, nc.name(), null, null, null, null, null);
            insert(tx, created);
            logged.add(created);
            MemberRole creatorRole = nc.kind() == ConversationKind.DM ? MemberRole.MEMBER : MemberRole.OWNER;
            logged.add(join(tx, id, nc.creator(), nc.creator(), creatorRole, now));
            for (long member : nc.members()) {
                if (member != nc.creator()) {
                    logged.add(join(tx, id, member, nc.creator(), MemberRole.MEMBER, now));
                }
            }
            return id;
        });
    }

    @Override
    public CompletableFuture<List<LogEvent>> addMembers(long conv, long actor, List<Long> users, int maxMembers,
                                                        long now, CommitListener listener) {
        return logging(listener, joined -> joined, tx -> {
            Set<Long> joining = new LinkedHashSet<>();
            for (long user : new LinkedHashSet<>(users)) {
                if (member(tx, conv, user).isEmpty()) {
                    joining.add(user);
                }
            }
            if (!joining.isEmpty() && memberCount(tx, conv) + joining.size() > maxMembers) {
                throw RelayException.invalid("a group has at most " + maxMembers + " members");
            }
            List<LogEvent> joined = new ArrayList<>();
            for (long user : joining) {
                joined.add(join(tx, conv, user, actor, MemberRole.MEMBER, now));
            }
            return joined;
        });
    }

    @Override
    public CompletableFuture<Optional<LogEvent>> removeMember(long conv, long actor, long user, long now,
                                                              CommitListener listener) {
        return logging(listener, left -> left.map(List::of).orElse(List.of()), tx -> {
            Optional<MemberRecord> leaving = member(tx, conv, user);
            if (leaving.isEmpty()) {
                return Optional.empty();
            }
            // Checked inside the write, where no concurrent hand-over or join can slip between check and change.
            if (leaving.get().role() == MemberRole.OWNER) {
                if (actor != user) {
                    throw RelayException.forbidden("the owner cannot be removed");
                }
                if (memberCount(tx, conv) > 1) {
                    throw new RelayException(ErrorCode.CONFLICT,
                            "the owner cannot leave while others remain; make another member owner first");
                }
            }
            try (PreparedStatement st = tx.prepareStatement(
                    "DELETE FROM members WHERE conv_id = ? AND user_id = ?")) {
                st.setLong(1, conv);
                st.setLong(2, user);
                st.executeUpdate();
            }
            LogEvent left = new LogEvent(conv, nextSeq(tx, conv, now), EventKind.MEMBER_LEFT, actor, now, null,
                    null, null, user, null, null, null);
            insert(tx, left);
            return Optional.of(left);
        });
    }

    @Override
    public CompletableFuture<List<LogEvent>> setRoleAsOwner(long conv, long owner, long user, MemberRole role,
                                                            long now, CommitListener listener) {
        return logging(listener, changed -> changed, tx -> {
            // Checked inside the write: two hand-overs at once must not leave two owners, nor a demotion racing a
            // hand-over leave none.
            if (member(tx, conv, owner).map(MemberRecord::role).orElse(null) != MemberRole.OWNER) {
                throw RelayException.forbidden("only the owner can change roles");
            }
            List<LogEvent> changed = new ArrayList<>();
            changed.add(changeRole(tx, conv, owner, user, role, now));
            if (role == MemberRole.OWNER) {
                changed.add(changeRole(tx, conv, owner, owner, MemberRole.ADMIN, now));
            }
            return List.copyOf(changed);
        });
    }

    private LogEvent changeRole(Connection tx, long conv, long actor, long user, MemberRole role, long now)
            throws SQLException {
        try (PreparedStatement st = tx.prepareStatement(
                "UPDATE members SET role = ? WHERE conv_id = ? AND user_id = ?")) {
            st.setString(1, wire(role));
            st.setLong(2, conv);
            st.setLong(3, user);
            if (st.executeUpdate() == 0) {
                throw RelayException.notFound("member " + user + " of conversation " + conv);
            }
        }
        LogEvent changed = new LogEvent(conv, nextSeq(tx, conv, now), EventKind.ROLE_CHANGED, actor, now,
                null, null, null, user, role, null, null);
        insert(tx, changed);
        return changed;
    }

    private static long memberCount(Connection tx, long conv) throws SQLException {
        try (PreparedStatement st = tx.prepareStatement("SELECT count(*) FROM members WHERE conv_id = ?")) {
            st.setLong(1, conv);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public CompletableFuture<LogEvent> appendCallRecord(long conv, long caller, CallRecord record, long now,
                                                        CommitListener listener) {
        return logging(listener, List::of, tx -> {
            LogEvent event = new LogEvent(conv, nextSeq(tx, conv, now), EventKind.CALL, caller, now, null, null,
                    null, null, null, null, null, record);
            insert(tx, event);
            return event;
        });
    }

    @Override
    public List<LogEvent> callHistory(long userId, Long conv, int limit) {
        return db.read(c -> {
            List<LogEvent> events = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT " + EVENT_COLUMNS.replaceAll("(\\w+)", "e.$1")
                    + " FROM events e JOIN members m ON m.conv_id = e.conv_id AND m.user_id = ? "
                    + "WHERE e.kind = 'call' AND (? IS NULL OR e.conv_id = ?) ORDER BY e.ts DESC, e.seq DESC LIMIT ?")) {
                st.setLong(1, userId);
                setNullableLong(st, 2, conv);
                setNullableLong(st, 3, conv);
                st.setInt(4, limit);
                readEvents(st, events);
            }
            return events;
        });
    }

    @Override
    public CompletableFuture<ConversationRecord> update(long conv, String name, String topic, PostPolicy postPolicy) {
        return db.write(tx -> {
            try (PreparedStatement st = tx.prepareStatement("UPDATE conversations SET name = coalesce(?, name), "
                    + "topic = coalesce(?, topic), post_policy = coalesce(?, post_policy) WHERE id = ?")) {
                st.setString(1, name);
                st.setString(2, topic);
                if (postPolicy == null) {
                    st.setNull(3, Types.VARCHAR);
                } else {
                    st.setString(3, wire(postPolicy));
                }
                st.setLong(4, conv);
                st.executeUpdate();
            }
            return conversation(tx, conv).orElseThrow(() -> RelayException.notFound("conversation " + conv));
        });
    }

    @Override
    public CompletableFuture<Long> markRead(long conv, long userId, long seq) {
        return db.write(tx -> {
            try (PreparedStatement st = tx.prepareStatement("UPDATE members SET "
                    + "read_seq = max(read_seq, min(?1, (SELECT last_seq FROM conversations WHERE id = ?2))), "
                    + "delivered_seq = max(delivered_seq, min(?1, (SELECT last_seq FROM conversations WHERE id = ?2))) "
                    + "WHERE conv_id = ?2 AND user_id = ?3 RETURNING read_seq")) {
                return markReturning(st, conv, userId, seq);
            }
        });
    }

    @Override
    public CompletableFuture<Long> markDelivered(long conv, long userId, long seq) {
        return db.write(tx -> {
            try (PreparedStatement st = tx.prepareStatement("UPDATE members SET "
                    + "delivered_seq = max(delivered_seq, min(?1, (SELECT last_seq FROM conversations WHERE id = ?2))) "
                    + "WHERE conv_id = ?2 AND user_id = ?3 RETURNING delivered_seq")) {
                return markReturning(st, conv, userId, seq);
            }
        });
    }

    private static long markReturning(PreparedStatement st, long conv, long userId, long seq) throws SQLException {
        st.setLong(1, seq);
        st.setLong(2, conv);
        st.setLong(3, userId);
        try (ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                throw new RelayException(ErrorCode.NOT_MEMBER, "you are not a member of conversation " + conv);
            }
            return rs.getLong(1);
        }
    }

    // ---- helpers that run inside the writer's transaction -------------------------------------------------------

    /**
     * A write whose committed log events go to {@code listener} (on the writer thread, in commit order) before its
     * future completes; {@code events} picks them out of the job's result.
     */
    private <T> CompletableFuture<T> logging(CommitListener listener, Function<T, List<LogEvent>> events,
                                             SqlWork<T> work) {
        return logging(listener, events, 0, work);
    }

    /** {@code bytes}: about how much text the job holds until it is answered (see {@link SqliteWriter}). */
    private <T> CompletableFuture<T> logging(CommitListener listener, Function<T, List<LogEvent>> events, long bytes,
                                             SqlWork<T> work) {
        return db.write(bytes, new WriteJob<>() {
            @Override
            public T run(Connection tx) throws SQLException {
                return work.run(tx);
            }

            @Override
            public void afterCommit(T result) {
                List<LogEvent> logged = events.apply(result);
                if (!logged.isEmpty()) {
                    listener.committed(logged);
                }
            }
        });
    }

    /** What an append logged: nothing for a duplicate (its event was logged the first time). */
    private static List<LogEvent> logged(Appended appended) {
        return appended.duplicate() ? List.of() : List.of(appended.event());
    }

    /** The text as Java holds it (UTF-16) plus its encoded copy for fan-out, roughly. */
    private static long textBytes(String text) {
        return text == null ? 0 : 4L * text.length();
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection tx) throws SQLException;
    }

    private static void requirePoster(Connection tx, long conv, long sender) throws SQLException {
        try (PreparedStatement st = tx.prepareStatement("SELECT c.kind, c.post_policy, m.role FROM conversations c "
                + "LEFT JOIN members m ON m.conv_id = c.id AND m.user_id = ? WHERE c.id = ?")) {
            st.setLong(1, sender);
            st.setLong(2, conv);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw RelayException.notFound("conversation " + conv);
                }
                String role = rs.getString(3);
                if (role == null) {
                    throw new RelayException(ErrorCode.NOT_MEMBER, "you are not a member of conversation " + conv);
                }
                boolean adminsOnly = "channel".equals(rs.getString(1)) && "admins".equals(rs.getString(2));
                if (adminsOnly && "member".equals(role)) {
                    throw RelayException.forbidden("only admins may post in this channel");
                }
            }
        }
    }

    private static MemberRecord requireMember(Connection tx, long conv, long user) throws SQLException {
        return member(tx, conv, user).orElseThrow(() ->
                new RelayException(ErrorCode.NOT_MEMBER, "you are not a member of conversation " + conv));
    }

    private static LogEvent requireMessage(Connection tx, long conv, long seq) throws SQLException {
        try (PreparedStatement st = tx.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM events "
                + "WHERE conv_id = ? AND seq = ?")) {
            st.setLong(1, conv);
            st.setLong(2, seq);
            List<LogEvent> found = new ArrayList<>(1);
            readEvents(st, found);
            if (found.isEmpty() || found.getFirst().kind() != EventKind.MESSAGE) {
                throw RelayException.notFound("message " + seq + " in conversation " + conv);
            }
            if (Boolean.TRUE.equals(found.getFirst().deleted())) {
                throw new RelayException(ErrorCode.CONFLICT, "message " + seq + " was deleted");
            }
            return found.getFirst();
        }
    }

    private static Optional<LogEvent> byClientId(Connection tx, long sender, String clientId) throws SQLException {
        try (PreparedStatement st = tx.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM events "
                + "WHERE sender_id = ? AND client_id = ?")) {
            st.setLong(1, sender);
            st.setString(2, clientId);
            List<LogEvent> found = new ArrayList<>(1);
            readEvents(st, found);
            return found.stream().findFirst();
        }
    }

    private static LogEvent join(Connection tx, long conv, long user, long actor, MemberRole role, long now)
            throws SQLException {
        try (PreparedStatement st = tx.prepareStatement("INSERT INTO members (conv_id, user_id, role, joined_at, "
                + "read_seq, delivered_seq) VALUES (?, ?, ?, ?, (SELECT last_seq FROM conversations WHERE id = ?), "
                + "(SELECT last_seq FROM conversations WHERE id = ?))")) {
            st.setLong(1, conv);
            st.setLong(2, user);
            st.setString(3, wire(role));
            st.setLong(4, now);
            st.setLong(5, conv);
            st.setLong(6, conv);
            st.executeUpdate();
        }
        LogEvent joined = new LogEvent(conv, nextSeq(tx, conv, now), EventKind.MEMBER_JOINED, actor, now, null, null,
                null, user, role, null, null);
        insert(tx, joined);
        return joined;
    }

    private static long nextSeq(Connection tx, long conv, long now) throws SQLException {
        try (PreparedStatement st = tx.prepareStatement("UPDATE conversations SET last_seq = last_seq + 1, "
                + "last_activity = ? WHERE id = ? RETURNING last_seq")) {
            st.setLong(1, now);
            st.setLong(2, conv);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw RelayException.notFound("conversation " + conv);
                }
                return rs.getLong(1);
            }
        }
    }

    private static void insert(Connection tx, LogEvent e) throws SQLException {
        try (PreparedStatement st = tx.prepareStatement("INSERT INTO events (" + EVENT_COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)")) {
            st.setLong(1, e.conv());
            st.setLong(2, e.seq());
            st.setString(3, wire(e.kind()));
            st.setLong(4, e.sender());
            st.setLong(5, e.ts());
            st.setString(6, e.clientId());
            st.setString(7, e.text());
            setNullableLong(st, 8, e.target());
            setNullableLong(st, 9, e.member());
            st.setString(10, e.role() == null ? null : wire(e.role()));
            setNullableLong(st, 11, e.editedAt());
            CallRecord call = e.call();
            st.setString(12, call == null ? null : call.id());
            st.setString(13, call == null ? null : wire(call.media()));
            st.setString(14, call == null ? null : wire(call.outcome()));
            st.setString(15, call == null ? null : wire(call.reason()));
            setNullableLong(st, 16, call == null ? null : call.startedAt());
            setNullableLong(st, 17, call == null ? null : call.durationMs());
            st.executeUpdate();
        }
    }

    private static long lastSeq(Connection c, long conv) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT last_seq FROM conversations WHERE id = ?")) {
            st.setLong(1, conv);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static void readEvents(PreparedStatement st, List<LogEvent> into) throws SQLException {
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                String role = rs.getString(10);
                boolean deleted = rs.getInt(12) != 0;
                EventKind kind = enumOf(EventKind.class, rs.getString(3));
                String callId = rs.getString(13);
                CallRecord call = callId == null ? null : new CallRecord(callId,
                        enumOf(CallMedia.class, rs.getString(14)), enumOf(CallOutcome.class, rs.getString(15)),
                        enumOf(CallEndReason.class, rs.getString(16)), rs.getLong(17), rs.getLong(18));
                into.add(new LogEvent(rs.getLong(1), rs.getLong(2), kind, rs.getLong(4), rs.getLong(5),
                        rs.getString(6), rs.getString(7), nullableLong(rs, 8), nullableLong(rs, 9),
                        role == null ? null : enumOf(MemberRole.class, role), nullableLong(rs, 11),
                        kind == EventKind.MESSAGE && deleted ? Boolean.TRUE : null, call));
            }
        }
    }

    private static ConversationRecord conversationRow(ResultSet rs) throws SQLException {
        return new ConversationRecord(rs.getLong(1), enumOf(ConversationKind.class, rs.getString(2)),
                rs.getString(3), rs.getString(4), enumOf(PostPolicy.class, rs.getString(5)), rs.getLong(6),
                rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getInt(10));
    }

    private static MemberRecord memberRow(ResultSet rs) throws SQLException {
        return new MemberRecord(rs.getLong(1), rs.getLong(2), enumOf(MemberRole.class, rs.getString(3)),
                rs.getLong(4), rs.getLong(5));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static void setNullableLong(PreparedStatement st, int index, Long value) throws SQLException {
        if (value == null) {
            st.setNull(index, Types.INTEGER);
        } else {
            st.setLong(index, value);
        }
    }

    /** Enum constants are stored by their lower-case wire names, the same words the protocol uses. */
    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String wire) {
        return Enum.valueOf(type, wire.toUpperCase(Locale.ROOT));
    }
}
