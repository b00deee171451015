package dev.parley.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    @TempDir
    Path dir;

    private static String kneeLine(String target, String steps, String knee) {
        return "{\"label\":\"c-knee\",\"target\":\"" + target + "\",\"mode\":\"knee\",\"p99LimitMs\":50.0,"
                + "\"knee\":" + knee + ",\"steps\":[" + steps + "]}";
    }

    private static String step(double rate, double cpuUs, boolean pass) {
        return "{\"ratePerSender\":" + rate + ",\"offeredMsgPerSec\":" + (rate * 20) + ",\"serverCpuUsPerDelivery\":"
                + cpuUs + ",\"deliveries\":{\"perSec\":" + (rate * 20 * 99) + "},\"pass\":" + pass + "}";
    }

    @Test
    void cpuAtTheSameOfferedLoadComparesThePeersKneeStepWithTheRelaysPassingStepAtThatRate() throws IOException {
        String relaySteps = String.join(",", step(20, 18.5, true), step(40, 30.0, false), step(40, 12.0, true),
                step(200, 2.5, true));
        String peerSteps = String.join(",", step(20, 14.6, true), step(40, 11.3, true), step(60, 8.3, false));
        Path results = dir.resolve("results.jsonl");
        Files.write(results, List.of(
                kneeLine("parley", relaySteps, step(200, 2.5, true)),
                kneeLine("peer", peerSteps, step(40, 11.3, true))));

        String table = Report.render(results, new Args(List.of()));

        assertTrue(table.contains("| knee: deliveries/s at p99 <= 50.0 ms, nothing lost | 396,000 /s | 79,200 /s | 5.00x | >= 3x peer | yes |"),
                table);
        assertTrue(table.contains("|   knee: server CPU per delivery | 2.500 us | 11.3 us | 0.22x | <= 1/4 of peer | yes |"),
                table);
        // the relay's failed first attempt at 40 msg/s (30 us) is passed over for its passing re-run (12 us)
        assertTrue(table.contains("|   server CPU per delivery at the same offered load (the peer's knee step, 800.0 msg/s)"
                + " | 12.0 us | 11.3 us | 1.06x | <= 1/4 of peer | **no** |"), table);
    }

    @Test
    void aStepTheRelayNeverRanLeavesTheSameLoadRowWithoutAVerdict() throws IOException {
        Path results = dir.resolve("results.jsonl");
        Files.write(results, List.of(
                kneeLine("parley", step(20, 18.5, true), step(20, 18.5, true)),
                kneeLine("peer", step(40, 11.3, true), step(40, 11.3, true))));

        String table = Report.render(results, new Args(List.of()));

        assertTrue(table.contains("| n/a  | 11.3 us |  | <= 1/4 of peer |  |"), table);
    }
}
