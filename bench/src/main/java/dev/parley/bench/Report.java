package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The side-by-side table from a results.jsonl file: Parley, the peer, the ratio, the target. */
final class Report {
    private Report() {
    }

    private record Row(String metric, Double parley, Double peer, String unit, boolean higherIsBetter,
                       String target, Boolean met) {
    }

    static String render(Path file, Args args) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && line.startsWith("{")) {
                lines.add(BenchMain.JSON.readTree(line));
            }
        }
        List<Row> rows = new ArrayList<>();
        JsonNode pa = find(lines, "a-chat", "parley");
        JsonNode pe = find(lines, "a-chat", "peer");
        rows.add(row("chat 1000 clients/10 rooms/20x10 msg/s: deliveries/s", at(pa, "result.deliveries.perSec"),
                at(pe, "result.deliveries.perSec"), "/s", true, null, null));
        rows.add(row("  e2e latency p50", at(pa, "result.e2eMs.p50"), at(pe, "result.e2eMs.p50"), "ms", false, null, null));
        rows.add(row("  e2e latency p99", at(pa, "result.e2eMs.p99"), at(pe, "result.e2eMs.p99"), "ms", false, null, null));
        rows.add(row("  ack latency p99", at(pa, "result.ackMs.p99"), at(pe, "result.ackMs.p99"), "ms", false, null, null));
        rows.add(row("  lost + duplicated deliveries", sum(at(pa, "result.deliveries.lost"), at(pa, "result.deliveries.duplicated")),
                sum(at(pe, "result.deliveries.lost"), at(pe, "result.deliveries.duplicated")), "", false, "0", null));
        rows.add(row("  connect (handshake) p50", at(pa, "connect.handshakeMs.p50"), at(pe, "connect.handshakeMs.p50"), "ms", false, null, null));
        rows.add(row("  connect (handshake) p99", at(pa, "connect.handshakeMs.p99"), at(pe, "connect.handshakeMs.p99"), "ms", false, null, null));
        Double cpuPa = at(pa, "result.serverCpuUsPerDelivery");
        Double cpuPe = at(pe, "result.serverCpuUsPerDelivery");
        rows.add(row("  server CPU per delivery", cpuPa, cpuPe, "us", false, "<= 1/4 of peer",
                cpuPa == null || cpuPe == null ? null : cpuPa <= cpuPe / 4));
        rows.add(row("  other processes' CPU during the window (of 200 %)", at(pa, "result.otherCpuPct"),
                at(pe, "result.otherCpuPct"), "%", false, "~0 on a quiet machine", null));
        rows.add(row("  generator CPU per delivery", at(pa, "result.generatorCpuUsPerDelivery"),
                at(pe, "result.generatorCpuUsPerDelivery"), "us", false, null, null));
        JsonNode pa2 = find(lines, "a-chat-2proc", "parley");
        JsonNode pe2 = find(lines, "a-chat-2proc", "peer");
        rows.add(row("same, 2 generator processes: deliveries/s", at(pa2, "result.deliveries.perSec"),
                at(pe2, "result.deliveries.perSec"), "/s", true, null, null));
        rows.add(row("  e2e latency p99 (merged histograms)", at(pa2, "result.e2eMs.p99"), at(pe2, "result.e2eMs.p99"), "ms", false, null, null));
        JsonNode ka = find(lines, "c-knee", "parley");
        JsonNode ke = find(lines, "c-knee", "peer");
        Double kneePa = at(ka, "knee.deliveries.perSec");
        Double kneePe = at(ke, "knee.deliveries.perSec");
        rows.add(row("knee: deliveries/s at p99 <= " + fmt(at(ka, "p99LimitMs")) + " ms, nothing lost", kneePa, kneePe, "/s", true,
                ">= 3x peer", kneePa == null || kneePe == null ? null : kneePa >= 3 * kneePe));
        if (kneePa == null || kneePe == null) {
            rows.add(row("  no passing step: first failing step, deliveries/s", at(ka, "firstFail.deliveries.perSec"),
                    at(ke, "firstFail.deliveries.perSec"), "/s", true, null, null));
            rows.add(row("  first failing step, e2e p99", at(ka, "firstFail.e2eMs.p99"), at(ke, "firstFail.e2eMs.p99"), "ms", false, null, null));
        }
        rows.add(row("  knee: offered msg/s", at(ka, "knee.offeredMsgPerSec"), at(ke, "knee.offeredMsgPerSec"), "/s", true, null, null));
        rows.add(row("  knee: e2e p99", at(ka, "knee.e2eMs.p99"), at(ke, "knee.e2eMs.p99"), "ms", false, null, null));
        Double kneeCpuPa = at(ka, "knee.serverCpuUsPerDelivery");
        Double kneeCpuPe = at(ke, "knee.serverCpuUsPerDelivery");
        rows.add(row("  knee: server CPU per delivery", kneeCpuPa, kneeCpuPe, "us", false, "<= 1/4 of peer",
                kneeCpuPa == null || kneeCpuPe == null ? null : kneeCpuPa <= kneeCpuPe / 4));
        // At its own knee each server's core is saturated, so CPU per delivery there is mostly the inverse of the
        // knee; the same offered rate on both servers is the like-for-like figure, printed beside it.
        Double peerKneeRate = at(ke, "knee.ratePerSender");
        JsonNode sameRatePa = stepAtRate(ka, peerKneeRate);
        JsonNode sameRatePe = stepAtRate(ke, peerKneeRate);
        Double sameCpuPa = at(sameRatePa, "serverCpuUsPerDelivery");
        Double sameCpuPe = at(sameRatePe, "serverCpuUsPerDelivery");
        rows.add(row("  server CPU per delivery at the same offered load (the peer's knee step, "
                        + fmt(at(sameRatePe, "offeredMsgPerSec")) + " msg/s)", sameCpuPa, sameCpuPe, "us", false,
                "<= 1/4 of peer", sameCpuPa == null || sameCpuPe == null ? null : sameCpuPa <= sameCpuPe / 4));
        rows.add(row("  knee: generator CPU", at(ka, "knee.generatorCpuPct"), at(ke, "knee.generatorCpuPct"), "%", false, null, null));
        rows.add(row("  knee: other processes' CPU at the first failing step", at(ka, "firstFail.otherCpuPct"),
                at(ke, "firstFail.otherCpuPct"), "%", false, null, null));
        JsonNode ia = find(lines, "b-idle", "parley");
        JsonNode ie = find(lines, "b-idle", "peer");
        Double memPa = at(ia, "server.rssPerConnKB_settled");
        Double memPe = at(ie, "server.rssPerConnKB_settled");
        rows.add(row("idle: server RSS per connection (settled, from no connections)", memPa, memPe, "KB", false,
                "<= 1/2 of peer", memPa == null || memPe == null ? null : memPa <= memPe / 2));
        Double marginalPa = at(ia, "server.rssPerConnKB_marginal");
        Double marginalPe = at(ie, "server.rssPerConnKB_marginal");
        rows.add(row("  idle: marginal RSS per connection (second half of the clients)", marginalPa, marginalPe, "KB",
                false, "<= 1/2 of peer", marginalPa == null || marginalPe == null ? null : marginalPa <= marginalPe / 2));
        rows.add(row("  idle: server RSS before any connection", at(ia, "server.rssBeforeConnectMB"),
                at(ie, "server.rssBeforeConnectMB"), "MB", false, null, null));
        rows.add(row("  idle: Parley RSS per connection after a full GC", at(ia, "server.rssPerConnKB_afterGc"), null, "KB", false, null, null));
        for (String rtt : List.of("d-rtt-1pair", "d-rtt-100pairs")) {
            JsonNode ra = find(lines, rtt, "parley");
            JsonNode re = find(lines, rtt, "peer");
            // results from before the round trips went through calls say so in their own rows
            String parleyFrame = ra != null && ra.path("mode").asText().equals("typing")
                    ? "typing frames, no payload" : "call_signal in an answered call";
            rows.add(row(rtt.substring(6) + ": relayed signaling round trip, 1 KB SDP offer and answer (Parley: "
                    + parleyFrame + "; peer: webrtc-signal): p50",
                    at(ra, "roundTripMs.p50"), at(re, "roundTripMs.p50"), "ms", false, null, null));
            rows.add(row("  round trip p99", at(ra, "roundTripMs.p99"), at(re, "roundTripMs.p99"), "ms", false, null, null));
            rows.add(row("  round trips/s", at(ra, "roundTripsPerSec"), at(re, "roundTripsPerSec"), "/s", true, null, null));
            // a call that ended in the warm-up leaves its pair out of the measured window: counted too
            rows.add(row("  lost signals + calls ended (warm-up included)", sum(at(ra, "lost"),
                    orZero(at(ra, "callsEndedEarly")) + orZero(at(ra, "warmupCallsEnded"))), at(re, "lost"), "", false,
                    "0", null));
            rows.add(row("  Parley: call set-up before the round trips (invite to accepted), p99",
                    at(ra, "callSetup.inviteToAcceptedMs.p99"), null, "ms", false, null, null));
        }
        for (String h : List.of("e-history-1M", "e-history-10M")) {
            JsonNode ha = find(lines, h, "parley");
            JsonNode he = find(lines, h, "peer");
            if (ha == null && he == null) {
                continue;
            }
            Double p99 = at(ha, "newestPage.latencyMs.p99");
            boolean tenM = h.endsWith("10M");
            rows.add(row("history page of 50, " + h.substring(10) + " stored: p50", at(ha, "newestPage.latencyMs.p50"),
                    at(he, "newestPage.latencyMs.p50"), "ms", false, null, null));
            rows.add(row("  p99", p99, at(he, "newestPage.latencyMs.p99"), "ms", false, tenM ? "< 1 ms" : null,
                    tenM && p99 != null ? p99 < 1 : null));
            rows.add(row("  Parley, random position: p99", at(ha, "randomPage.latencyMs.p99"), null, "ms", false, null, null));
            JsonNode hw = find(lines, h + "-ws", "parley");
            rows.add(row("  Parley over its WebSocket (history request): p50", at(hw, "newestPage.latencyMs.p50"), null, "ms", false, null, null));
            rows.add(row("  Parley over its WebSocket: p99", at(hw, "newestPage.latencyMs.p99"), null, "ms", false,
                    tenM ? "< 1 ms" : null, tenM && at(hw, "newestPage.latencyMs.p99") != null ? at(hw, "newestPage.latencyMs.p99") < 1 : null));
            rows.add(row("  Parley over its WebSocket, random position: p99", at(hw, "randomPage.latencyMs.p99"), null, "ms", false, null, null));
        }
        JsonNode floor = find(lines, "z-echo-floor", "machine");
        if (floor != null) {
            rows.add(row("machine floor: 100-byte TCP echo round trip, same core split: p50 (no server logic)",
                    at(floor, "roundTripMs.p50"), null, "ms", false, null, null));
            rows.add(row("  machine floor: p99", at(floor, "roundTripMs.p99"), null, "ms", false, null, null));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario / metric | Parley | peer | Parley vs peer | target | met |\n");
        sb.append("|---|---:|---:|---:|---|---|\n");
        for (Row r : rows) {
            String ratio = "";
            if (r.parley() != null && r.peer() != null && r.parley() > 0 && r.peer() > 0) {
                double x = r.parley() / r.peer();
                ratio = String.format(Locale.ROOT, "%.2fx", x);
            }
            sb.append("| ").append(r.metric()).append(" | ").append(fmt(r.parley())).append(' ').append(r.parley() == null ? "" : r.unit())
                    .append(" | ").append(fmt(r.peer())).append(' ').append(r.peer() == null ? "" : r.unit())
                    .append(" | ").append(ratio)
                    .append(" | ").append(r.target() == null ? "" : r.target())
                    .append(" | ").append(r.met() == null ? "" : r.met() ? "yes" : "**no**").append(" |\n");
        }
        for (JsonNode l : lines) {
            if (l.has("event") && l.path("event").asText().equals("quiet-check")) {
                sb.append("\nquiet check before ").append(l.path("before").asText()).append(": machine busy ")
                        .append(l.path("machineBusyPct").asText()).append("% of 200 after waiting ")
                        .append(l.path("waitedS").asText()).append(" s");
            }
        }
        sb.append('\n');
        return sb.toString();
    }

    private static Row row(String metric, Double parley, Double peer, String unit, boolean higher, String target, Boolean met) {
        return new Row(metric, parley, peer, unit, higher, target, met);
    }

    private static Double orZero(Double a) {
        return a == null ? 0.0 : a;
    }

    private static Double sum(Double a, Double b) {
        return a == null || b == null ? null : a + b;
    }

    private static JsonNode find(List<JsonNode> lines, String label, String target) {
        JsonNode found = null;
        for (JsonNode l : lines) {
            if (label.equals(l.path("label").asText()) && target.equals(l.path("target").asText())) {
                found = l;
            }
        }
        return found;
    }

    /** The knee search's step at this rate per sender: the last passing attempt, else the last attempt. */
    static JsonNode stepAtRate(JsonNode kneeResult, Double ratePerSender) {
        if (kneeResult == null || ratePerSender == null) {
            return null;
        }
        JsonNode chosen = null;
        for (JsonNode step : kneeResult.path("steps")) {
            if (step.path("ratePerSender").asDouble() == ratePerSender
                    && (chosen == null || step.path("pass").asBoolean() || !chosen.path("pass").asBoolean())) {
                chosen = step;
            }
        }
        return chosen;
    }

    static Double at(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        JsonNode n = node;
        for (String part : path.split("\\.")) {
            n = n.path(part);
        }
        return n.isNumber() ? n.asDouble() : null;
    }

    static String fmt(Double v) {
        if (v == null) {
            return "n/a";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
