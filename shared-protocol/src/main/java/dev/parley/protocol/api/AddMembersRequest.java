package dev.parley.protocol.api;

import java.util.List;

/** {@code POST /api/conversations/{id}/members}: user ids to add to a group or channel. Admins only. */
public record AddMembersRequest(List<Long> users) {
    public AddMembersRequest {
        users = UserIds.of(users, "users");
    }
}
