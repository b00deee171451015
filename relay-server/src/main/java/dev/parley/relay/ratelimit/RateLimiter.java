package dev.parley.relay.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Token buckets by key (an address, an account, a connection). Buckets that have refilled completely hold no
 * information, so {@link #evictIdle()} drops them: an attacker cycling through keys cannot grow the map for long.
 */
public final class RateLimiter {
    private final String what;
    private final RateLimit limit;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(String what, RateLimit limit) {
        this.what = what;
        this.limit = limit;
    }

    /** Takes one token for {@code key} or throws {@link RateLimitedException} saying when to retry. */
    public void acquire(String key) {
        ConsumptionProbe probe = bucketFor(key).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw new RateLimitedException(what, Duration.ofNanos(probe.getNanosToWaitForRefill()));
        }
    }

    /** A bucket for one owner, e.g. a connection, kept by the caller rather than in this limiter's map. */
    public Bucket newBucket() {
        return Bucket.builder().addLimit(bandwidth()).build();
    }

    public void acquire(Bucket bucket) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw new RateLimitedException(what, Duration.ofNanos(probe.getNanosToWaitForRefill()));
        }
    }

    public void evictIdle() {
        buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= limit.burst());
    }

    int trackedKeys() {
        return buckets.size();
    }

    private Bucket bucketFor(String key) {
        return buckets.computeIfAbsent(key, ignored -> newBucket());
    }

    private Bandwidth bandwidth() {
        return Bandwidth.builder()
                .capacity(limit.burst())
                .refillGreedy(limit.permits(), limit.period())
                .build();
    }
}
