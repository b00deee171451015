package dev.parley.relay.account;

/** What presenting a refresh token did to its session. */
public enum RefreshOutcome {
    ROTATED,
    /** A token of the session other than its current one was presented: the session is now revoked. */
    REUSED,
    EXPIRED,
    REVOKED,
    UNKNOWN
}
