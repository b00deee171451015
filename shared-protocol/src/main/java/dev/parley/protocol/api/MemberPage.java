package dev.parley.protocol.api;

import dev.parley.protocol.MemberInfo;

import java.util.List;

/**
 * {@code GET /api/conversations/{id}/members}: members by user id; {@code hasMore} asks for the next page with
 * {@code after} = the last member's user id.
 */
public record MemberPage(long conv, List<MemberInfo> members, boolean hasMore) {
    public MemberPage {
        members = members == null ? List.of() : List.copyOf(members);
    }
}
