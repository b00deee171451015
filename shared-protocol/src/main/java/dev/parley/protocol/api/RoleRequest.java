package dev.parley.protocol.api;

import dev.parley.protocol.MemberRole;

/** {@code PUT /api/conversations/{id}/members/{user}/role}. Only the owner makes admins. */
public record RoleRequest(MemberRole role) {
}
