package dev.parley.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * History page latency over HTTP keep-alive, one request at a time: Parley's
 * {@code GET /api/conversations/{id}/messages?limit=50} (newest page, and pages at random positions), the peer's
 * {@code GET /api/messages/recent?room=&limit=50}.
 */
final class History {
    private History() {
    }

    static Map<String, Object> run(Args args) throws IOException, InterruptedException {
        String target = args.str("target", "parley");
        int port = args.integer("port", 7400);
        int requests = args.integer("requests", 2000);
        int warmup = args.integer("warmup-requests", 2000);
        int limit = args.integer("limit", 50);
        long stored = args.lng("stored", 0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + port;
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
        out.put("newestPage", measure(http, base, token, i -> newest, warmup, requests, limit));
        if (target.equals("parley") && stored > limit) {
            Random random = new Random(42);
            long conv = args.lng("conv", 1);
            out.put("randomPage", measure(http, base, token, i -> "/api/conversations/" + conv
                    + "/messages?limit=" + limit + "&before=" + (limit + 1 + (long) (random.nextDouble() * (stored - limit))),
                    warmup, requests, limit));
        }
        return out;
    }

    private static Map<String, Object> measure(HttpClient http, String base, String token,
                                               java.util.function.IntFunction<String> path, int warmup,
                                               int requests, int limit)
            throws IOException, InterruptedException {
        // Warm-up, unmeasured: a relay serves history for days, so the figure is its steady state, not the first
        // seconds in which the JIT compiles the path on the same (single, pinned) core.
        for (int i = 0; i < warmup; i++) {
            get(http, base + path.apply(i), token);
        }
        Histogram h = LoadRun.newHist();
        int bad = 0;
        int items = -1;
        long t0 = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = get(http, base + path.apply(i), token);
            h.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
            if (r.statusCode() != 200) {
                bad++;
            } else if (items < 0) {
                String body = r.body();
                items = countOccurrences(body, "\"ts\":");
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", requests);
        m.put("warmupRequests", warmup);
        m.put("bad", bad);
        m.put("itemsPerResponse", items);
        m.put("reqPerSec", LoadRun.round(requests / wall, 1));
        m.put("latencyMs", LoadRun.summary(h));
        return m;
    }

    private static HttpResponse<String> get(HttpClient http, String url, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static int countOccurrences(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
