package dev.parley.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * History page latency over HTTP keep-alive, one request at a time: Parley's
 * {@code GET /api/conversations/{id}/messages?limit=50} (newest page, and pages at random positions), the peer's
 * {@code GET /api/messages/recent?room=&limit=50}. Both go through the same small blocking client
 * ({@link KeepAliveHttp}) so the generator adds one loopback round trip and nothing else.
 */
final class History {
    private History() {
    }

    static Map<String, Object> run(Args args) throws IOException, InterruptedException {
        String target = args.str("target", "parley");
        int port = args.integer("port", 7400);
        int requests = args.integer("requests", 2000);
        int warmup = args.integer("warmup-requests", 2000);
        double warmupSeconds = args.dbl("warmup-seconds", 0);
        int limit = args.integer("limit", 50);
        long stored = args.lng("stored", 0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", args.str("label", "history"));
        out.put("target", target);
        out.put("mode", "history");
        out.put("storedMessages", stored);
        out.put("limit", limit);
        String token = null;
        String newest;
        if (target.equals("parley")) {
            token = new ParleyRest(port).login(args.str("user", "hist")).token();
            newest = "/api/conversations/" + args.lng("conv", 1) + "/messages?limit=" + limit;
        } else {
            newest = "/api/messages/recent?room=" + args.str("room", "room-0") + "&limit=" + limit;
        }
        try (KeepAliveHttp http = new KeepAliveHttp("127.0.0.1", port, 10_000)) {
            // Only the first window waits out the JIT: the random-page window runs on the same warm process.
            out.put("newestPage", measure(http, token, i -> newest, warmup, warmupSeconds, requests));
            if (target.equals("parley") && stored > limit) {
                Random random = new Random(42);
                long conv = args.lng("conv", 1);
                out.put("randomPage", measure(http, token, i -> "/api/conversations/" + conv + "/messages?limit="
                        + limit + "&before=" + (limit + 1 + (long) (random.nextDouble() * (stored - limit))),
                        warmup, 0, requests));
            }
        }
        return out;
    }

    private static Map<String, Object> measure(KeepAliveHttp http, String token,
                                               java.util.function.IntFunction<String> path, int warmup,
                                               double warmupSeconds, int requests) throws IOException {
        // Warm-up, unmeasured: a relay serves history for days, so the figure is its steady state, not the first
        // seconds in which the JIT compiles (and recompiles) the path on the same single, pinned core. A count alone
        // ends the warm-up sooner the faster the server answers, in the middle of that compiling; a duration does not.
        long warmUntil = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int warmed = 0;
        while (warmed < warmup || System.nanoTime() < warmUntil) {
            http.get(path.apply(warmed++), token);
        }
        Histogram h = LoadRun.newHist();
        int bad = 0;
        int items = -1;
        long t0 = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            String request = path.apply(i);
            long t = System.nanoTime();
            KeepAliveHttp.Response r = http.get(request, token);
            h.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
            if (r.status() != 200) {
                bad++;
            } else if (items < 0) {
                String body = r.text();
                items = countOccurrences(body, "\"ts\":");
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", requests);
        m.put("warmupRequests", warmed);
        m.put("warmupSeconds", warmupSeconds);
        m.put("bad", bad);
        m.put("itemsPerResponse", items);
        m.put("reqPerSec", LoadRun.round(requests / wall, 1));
        m.put("latencyMs", LoadRun.summary(h));
        return m;
    }

    static int countOccurrences(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
