package dev.parley.protocol;

public record MemberInfo(UserSummary user, MemberRole role, long readSeq, long deliveredSeq) {
}
