package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum MemberRole {
    @JsonProperty("owner") OWNER,
    @JsonProperty("admin") ADMIN,
    @JsonProperty("member") MEMBER;

    /** Owners and admins manage members and settings. */
    public boolean canManage() {
        return this != MEMBER;
    }
}
