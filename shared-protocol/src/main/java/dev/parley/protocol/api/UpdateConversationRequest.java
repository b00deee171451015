package dev.parley.protocol.api;

import dev.parley.protocol.PostPolicy;

/** {@code PATCH /api/conversations/{id}}: fields left null stay as they are. Admins only. */
public record UpdateConversationRequest(String name, String topic, PostPolicy postPolicy) {
}
