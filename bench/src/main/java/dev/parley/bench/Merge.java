package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Merges the chat results of several generator processes (disjoint rooms, same start): sums and exact histograms. */
final class Merge {
    private Merge() {
    }

    static Map<String, Object> merge(Args args) throws IOException {
        List<JsonNode> parts = new ArrayList<>();
        for (String file : args.str("inputs", "").split(",")) {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (!line.isBlank()) {
                    parts.add(BenchMain.JSON.readTree(line));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", args.str("label", "chat-multi"));
        out.put("target", parts.isEmpty() ? "?" : parts.getFirst().path("target").asText());
        out.put("mode", "chat-multi");
        out.put("procs", parts.size());
        for (JsonNode p : parts) {
            if (p.has("error")) {
                out.put("error", "a generator failed: " + p.path("error").asText());
                return out;
            }
        }
        List<Histogram> e2e = new ArrayList<>();
        List<Histogram> ack = new ArrayList<>();
        long sent = 0;
        long received = 0;
        long lost = 0;
        long duplicated = 0;
        long disconnects = 0;
        double generatorCpuS = 0;
        double serverCpuS = 0;
        double duration = 0;
        for (JsonNode p : parts) {
            JsonNode r = p.path("result");
            e2e.add(HistCodec.decode(p.path("_hist").path("e2e").asText()));
            ack.add(HistCodec.decode(p.path("_hist").path("ack").asText()));
            sent += r.path("sent").asLong();
            received += r.path("deliveries").path("received").asLong();
            lost += r.path("deliveries").path("lost").asLong();
            duplicated += r.path("deliveries").path("duplicated").asLong();
            disconnects += r.path("disconnects").asLong();
            double wall = r.path("wallS").asDouble();
            generatorCpuS += r.path("generatorCpuPct").asDouble() / 100 * wall;
            // every generator sees the same server; take the largest window's figure once
            serverCpuS = Math.max(serverCpuS, r.path("serverCpuPct").asDouble() / 100 * wall);
            duration = r.path("durationS").asDouble();
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sent", sent);
        r.put("deliveries", Map.of("received", received, "lost", lost, "duplicated", duplicated,
                "perSec", LoadRun.round(received / duration, 1)));
        r.put("e2eMs", LoadRun.summary(HistCodec.merge(e2e)));
        r.put("ackMs", LoadRun.summary(HistCodec.merge(ack)));
        r.put("disconnects", disconnects);
        if (received > 0) {
            r.put("serverCpuUsPerDelivery", LoadRun.round(serverCpuS * 1e6 / received, 2));
            r.put("generatorCpuUsPerDelivery", LoadRun.round(generatorCpuS * 1e6 / received, 2));
        }
        out.put("result", r);
        return out;
    }
}
