package dev.parley.relay.chat;

import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.PostPolicy;

import java.util.List;

/** A conversation to create; {@code creator} becomes its owner (DMs have no owner: both are members). */
public record NewConversation(ConversationKind kind, String name, String topic, PostPolicy postPolicy, long creator,
                              List<Long> members, String dmKey) {
}
