package dev.parley.relay.durability;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A relay in its own process, with request limits raised so pipelined senders are not throttled, plus the
 * messaging scenario a test streams through it; both are torn down even when the test fails, and the work
 * directory (relay log, database) is kept for diagnosis then.
 */
abstract class StreamingRelayTest {
    static final Duration READY = Duration.ofSeconds(30);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;
    RelayProcess relay;
    MessagingScenario scenario;

    @BeforeEach
    void startRelay() {
        relay = new RelayProcess(workDir, "--ws-requests-per-second", "100000", "--ws-burst", "100000");
        System.out.println("relay work directory (kept if the test fails): " + workDir);
        relay.start(READY);
    }

    @AfterEach
    void stopRelay() {
        if (scenario != null) {
            scenario.close();
        }
        relay.close();
    }
}
