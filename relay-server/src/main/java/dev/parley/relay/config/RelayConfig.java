package dev.parley.relay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything an admin can set. {@link ConfigLoader} fills it from defaults, a properties file, {@code PARLEY_*}
 * environment variables and command-line flags, in that order of precedence (flags win).
 */
public record RelayConfig(
        String name,
        String bind,
        int port,
        Path dataDir,
        Duration accessTokenTtl,
        Duration refreshTokenTtl,
        String jwtSecret,
        SqliteSync sqliteSynchronous,
        Duration idleTimeout,
        Duration pingInterval,
        Duration helloTimeout,
        int authPerAddressPerMinute,
        int loginPerAccountPerMinute,
        int wsRequestsPerSecond,
        int wsBurst,
        /* Searches one user may run per minute; each looks at up to 10,000 log rows on a reader connection. */
        int searchesPerMinute,
        int argon2MemoryKib,
        int argon2Iterations,
        int maxQueuedFrames,
        /* Bytes waiting to be written to one connection before it is closed as too slow (a single frame always goes). */
        long maxQueuedBytes,
        List<String> stunUrls,
        List<String> turnUrls,
        String turnSecret,
        Duration turnCredentialTtl,
        Duration callRingTime,
        /* Announce the relay on the LAN over mDNS/DNS-SD so apps find it without typing a URL. */
        boolean discovery) {

    /** How hard SQLite syncs each commit: FULL survives power loss, NORMAL survives a killed process. */
    public enum SqliteSync { FULL, NORMAL }

    public Path databaseFile() {
        return dataDir.resolve("parley.db");
    }
}
