package dev.parley.relay.ratelimit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {
    @Test
    void keysHaveIndependentBucketsAndRefusalsSayWhenToRetry() {
        RateLimiter limiter = new RateLimiter("attempts", RateLimit.perMinute(3));
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a");
        }
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> limiter.acquire("a"));
        assertTrue(refused.retryAfter().toMillis() > 0);
        assertTrue(refused.getMessage().startsWith("too many attempts"), refused.getMessage());
        assertDoesNotThrow(() -> limiter.acquire("b"));
    }

    @Test
    void fullBucketsAreEvictedButUsedOnesStay() {
        RateLimiter limiter = new RateLimiter("attempts", RateLimit.perMinute(3));
        limiter.acquire("used");
        assertEquals(1, limiter.trackedKeys());
        limiter.evictIdle();
        assertEquals(1, limiter.trackedKeys(), "a bucket with tokens taken still limits its key");
    }
}
