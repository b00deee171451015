package dev.parley.relay.chat;

import dev.parley.protocol.CallRecord;
import dev.parley.protocol.MemberRole;
import dev.parley.protocol.PostPolicy;
import dev.parley.protocol.LogEvent;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Conversations, memberships and the per-conversation event log. Writes complete their future only after the
 * transaction is durable; the {@link CommitListener} passed with a write hears of its log events before that.
 */
public interface ChatStore {

    Optional<ConversationRecord> conversation(long id);

    Optional<Long> findDm(String dmKey);

    Optional<MemberRecord> member(long conv, long userId);

    Set<Long> memberIds(long conv);

    List<MemberRecord> members(long conv);

    /** Up to {@code limit} members with a user id above {@code afterUser}, by user id: a page of a large channel. */
    List<MemberRecord> members(long conv, long afterUser, int limit);

    /** The conversations {@code userId} belongs to, most recent activity first. */
    List<ConversationRecord> conversationsOf(long userId);

    List<ConversationRecord> channels();

    /** Events after {@code afterSeq}, oldest first. */
    EventPage eventsAfter(long conv, long afterSeq, int limit);

    /** The {@code limit} events before {@code beforeSeq} (null: the newest), returned oldest first. */
    EventPage eventsBefore(long conv, Long beforeSeq, int limit);

    /**
     * Messages of {@code conv} (not deleted) with a seq in [{@code fromSeq}, {@code beforeSeq}) whose current text
     * {@code matches} accepts, newest first, at most {@code limit}. The scan stops at the limit or once it has read
     * {@code maxChars} characters of text: {@code examinedDownTo} is the lowest seq it looked at.
     */
    MessageScan scanMessages(long conv, long fromSeq, long beforeSeq, Predicate<String> matches, int limit,
                             long maxChars);

    record MessageScan(List<LogEvent> hits, long examinedDownTo) {
    }

    Optional<LogEvent> lastMessage(long conv);

    /** Messages from others after {@code readSeq} that are not deleted. */
    long unreadCount(long conv, long userId, long readSeq);

    /** Users who share a DM or group with {@code userId}. */
    Set<Long> contactsOf(long userId);

    long countConversations();

    long countEvents();

    /**
     * Appends a message if {@code sender} may post in {@code conv}; a repeated (sender, clientId) returns the stored
     * message with {@code duplicate} set. Refuses with {@code not_member}, {@code forbidden} or {@code conflict}.
     */
    CompletableFuture<Appended> appendMessage(long conv, long sender, String clientId, String text, long now,
                                              CommitListener listener);

    /** Rewrites message {@code seq} (the sender's own) and logs an {@code edited} event. */
    CompletableFuture<LogEvent> editMessage(long conv, long user, long seq, String text, long now,
                                            CommitListener listener);

    /** Tombstones message {@code seq} (own message, or any when {@code asModerator}) and logs {@code deleted}. */
    CompletableFuture<LogEvent> deleteMessage(long conv, long user, long seq, boolean asModerator, long now,
                                              CommitListener listener);

    CompletableFuture<Long> createConversation(NewConversation conversation, long now, CommitListener listener);

    /**
     * Adds users who are not members yet; returns the member_joined events logged. Refused (validation) when the
     * conversation would then have more than {@code maxMembers}, checked inside the write, so two concurrent adds
     * cannot both pass.
     */
    CompletableFuture<List<LogEvent>> addMembers(long conv, long actor, List<Long> users, int maxMembers, long now,
                                                 CommitListener listener);

    /**
     * Removes a member (actor == user: they left); empty when they were not a member. The owner is never removed by
     * others (forbidden) and leaves only as the last member (conflict): a conversation with members keeps one owner.
     */
    CompletableFuture<Optional<LogEvent>> removeMember(long conv, long actor, long user, long now,
                                                       CommitListener listener);

    /**
     * The owner gives a member a role; role OWNER hands ownership over and makes the old owner admin, in the same
     * transaction. Fails forbidden when {@code owner} no longer owns {@code conv}, not found for a non-member.
     */
    CompletableFuture<List<LogEvent>> setRoleAsOwner(long conv, long owner, long user, MemberRole role, long now,
                                                     CommitListener listener);

    /** Logs how a call in {@code conv} went, as a {@code call} event sent by the caller. */
    CompletableFuture<LogEvent> appendCallRecord(long conv, long caller, CallRecord record, long now,
                                                 CommitListener listener);

    /** The {@code call} events of the conversations {@code userId} belongs to (or of one), newest first. */
    List<LogEvent> callHistory(long userId, Long conv, int limit);

    CompletableFuture<ConversationRecord> update(long conv, String name, String topic, PostPolicy postPolicy);

    /** Raises the member's read (and delivered) mark to {@code seq}, capped at the last seq; returns the new mark. */
    CompletableFuture<Long> markRead(long conv, long userId, long seq);

    CompletableFuture<Long> markDelivered(long conv, long userId, long seq);
}
