package dev.parley.protocol.api;

import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.PostPolicy;

import java.util.List;

/**
 * {@code POST /api/conversations}. A DM names exactly one other user in {@code members} and returns the existing
 * DM when there is one. Groups and channels need a {@code name}; {@code postPolicy} applies to channels.
 */
public record CreateConversationRequest(ConversationKind kind, String name, String topic, List<Long> members,
                                        PostPolicy postPolicy) {
    public CreateConversationRequest {
        members = UserIds.of(members, "members");
    }
}
