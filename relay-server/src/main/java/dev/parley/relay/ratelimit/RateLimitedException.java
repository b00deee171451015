package dev.parley.relay.ratelimit;

import dev.parley.protocol.ErrorCode;
import dev.parley.relay.RelayException;

import java.time.Duration;

/** Over a rate limit: the client should wait {@link #retryAfter()} and try again; nothing was done. */
public final class RateLimitedException extends RelayException {
    private final Duration retryAfter;

    public RateLimitedException(String what, Duration retryAfter) {
        super(ErrorCode.RATE_LIMITED, "too many " + what + "; try again in "
                + Math.max(1, (retryAfter.toMillis() + 999) / 1000) + " s");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
