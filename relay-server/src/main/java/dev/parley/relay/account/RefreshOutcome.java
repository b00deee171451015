package dev.parley.relay.account;

/** What presenting a refresh token did to its session. */
public enum RefreshOutcome {
    ROTATED,
    /** A token that had already been rotated out was presented again: the session is now revoked. */
    REUSED,
    EXPIRED,
    REVOKED,
    UNKNOWN
}
