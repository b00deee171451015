package dev.parley.relay.ws;

import dev.parley.relay.support.Sysctl;
import dev.parley.relay.support.TestRelay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay's listening socket queues 1024 connects (capped by the kernel's somaxconn), not Jetty's 50: with 50, a
 * burst of reconnecting clients (an office coming back after a relay restart) overflowed it and every dropped SYN
 * waited a second for its retry. A full queue cannot be forced deterministically, so this reads the queue size the
 * kernel reports for the socket (Send-Q of a listening socket in `ss`).
 */
@Timeout(60)
@EnabledOnOs(OS.LINUX)
class ListenBacklogIT {
    @Test
    void theListeningSocketQueuesAThousandConnects() throws Exception {
        try (TestRelay relay = TestRelay.start()) {
            int port = relay.http().getPort();
            Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + port).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(ss.waitFor(10, TimeUnit.SECONDS) && ss.exitValue() == 0, "ss (iproute2) failed: " + out);
            // "LISTEN 0 1024 127.0.0.1:41234 0.0.0.0:*": state, Recv-Q (waiting now), Send-Q (the queue's size)
            String[] columns = out.split("\\s+");
            assertEquals("LISTEN", columns[0], out);
            assertEquals(Math.min(1024, somaxconn()), Integer.parseInt(columns[2]), out);
        }
    }

    private static int somaxconn() throws IOException {
        return Integer.parseInt(Sysctl.read("net/core/somaxconn"));
    }
}
