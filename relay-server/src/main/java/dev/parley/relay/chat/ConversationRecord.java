package dev.parley.relay.chat;

import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.PostPolicy;

/** A stored conversation, as the relay sees it (not tied to any one user). */
public record ConversationRecord(long id, ConversationKind kind, String name, String topic, PostPolicy postPolicy,
                                 long createdBy, long createdAt, long lastSeq, long lastActivity, int memberCount) {
}
