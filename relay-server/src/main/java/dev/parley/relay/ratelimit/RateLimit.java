package dev.parley.relay.ratelimit;

import java.time.Duration;

/** {@code permits} per {@code period}, with up to {@code burst} at once. */
public record RateLimit(long permits, Duration period, long burst) {
    public RateLimit {
        if (permits <= 0 || burst <= 0 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a rate limit needs positive permits, burst and period");
        }
    }

    public static RateLimit perMinute(long permits) {
        return new RateLimit(permits, Duration.ofMinutes(1), permits);
    }

    public static RateLimit perSecond(long permits, long burst) {
        return new RateLimit(permits, Duration.ofSeconds(1), burst);
    }
}
