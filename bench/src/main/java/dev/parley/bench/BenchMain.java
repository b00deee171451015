package dev.parley.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the load generator and tools: {@code java -jar parley-bench.jar <mode> [--key value...]}.
 * Modes: chat, knee, idle, roundtrip, ws-history (load scenarios against --target parley|peer on 127.0.0.1:--port),
 * history, setup-history, seed (history data), merge (several generators' chat results), report (the table),
 * echo-server and echo (the machine's latency floor: a TCP round trip to a process that only echoes).
 * Prints one JSON line per result (and appends it to --out when given). Never asserts timings.
 */
public final class BenchMain {
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private BenchMain() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: parley-bench <chat|knee|idle|roundtrip|history|setup-history|seed|merge|report|echo-server|echo> "
                    + "[--key value...]; see bench/README.md");
            System.exit(2);
        }
        String mode = argv[0];
        Args args = new Args(Arrays.asList(argv).subList(1, argv.length));
        // a hard stop so no run can hang a benchmark
        Thread stop = Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep((long) (args.dbl("max-run-s", 900) * 1000));
                System.err.println("parley-bench: hard stop after " + args.dbl("max-run-s", 900) + " s");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException ignored) {
                // finished in time
            }
        });
        Map<String, Object> result;
        List<Map<String, Object>> extra = List.of();
        switch (mode) {
            case "chat", "knee", "idle", "roundtrip", "ws-history" -> {
                LoadRun run = new LoadRun(args);
                try {
                    result = switch (mode) {
                        case "chat" -> run.chat(false);
                        case "knee" -> run.chat(true);
                        case "idle" -> run.idleMode();
                        case "ws-history" -> run.wsHistory();
                        default -> run.roundTrips();
                    };
                } catch (RuntimeException e) {
                    result = new LinkedHashMap<>();
                    result.put("label", args.str("label", mode));
                    result.put("target", args.str("target", "parley"));
                    result.put("mode", mode);
                    result.put("error", e.toString());
                    e.printStackTrace();
                } finally {
                    extra = run.extraResults;
                    run.close();
                }
            }
            case "history" -> result = History.run(args);
            case "echo-server" -> {
                EchoFloor.serve(args);
                return;
            }
            case "echo" -> result = EchoFloor.measure(args);
            case "setup-history" -> {
                ParleyRest rest = new ParleyRest(args.integer("port", 7400));
                ParleyRest.User user = rest.register(args.str("user", "hist"), 1, 1).getFirst();
                // register() appends the index: the history user is "<user>0"
                long conv = rest.createConversation(user, "channel", "history", List.of());
                result = new LinkedHashMap<>();
                result.put("user", user.username());
                result.put("userId", user.id());
                result.put("conv", conv);
            }
            case "seed" -> result = Seeder.run(args);
            case "merge" -> result = Merge.merge(args);
            case "report" -> {
                System.out.print(Report.render(Path.of(args.str("results", "results.jsonl")), args));
                stop.interrupt();
                return;
            }
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        }
        String out = args.str("out", "");
        for (Map<String, Object> r : java.util.stream.Stream.concat(extra.stream(), java.util.stream.Stream.of(result)).toList()) {
            String line = JSON.writeValueAsString(r);
            System.out.println(line);
            if (!out.isEmpty()) {
                Files.writeString(Path.of(out), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
        stop.interrupt();
        System.exit(result.containsKey("error") ? 1 : 0);
    }
}
