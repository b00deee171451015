package dev.parley.relay.chat;

import dev.parley.protocol.MemberRole;

public record MemberRecord(long conv, long userId, MemberRole role, long readSeq, long deliveredSeq) {
}
