package dev.parley.relay.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Builds a {@link RelayConfig}. Keys are kebab-case ({@code ws-requests-per-second}); the same key is
 * {@code PARLEY_WS_REQUESTS_PER_SECOND} in the environment and {@code --ws-requests-per-second N} on the command line.
 * A properties file comes from {@code --config FILE}, else {@code relay.properties} in the data directory.
 * Unknown keys are errors, so a typo never silently leaves a default in place.
 */
public final class ConfigLoader {

    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("name", "Parley relay");
        d.put("bind", "0.0.0.0");
        d.put("port", "7400");
        d.put("data", "data");
        d.put("access-token-minutes", "15");
        d.put("refresh-token-days", "30");
        d.put("jwt-secret", "");
        d.put("sqlite-synchronous", "full");
        d.put("idle-timeout-seconds", "60");
        d.put("ping-interval-seconds", "20");
        d.put("hello-timeout-seconds", "10");
        d.put("auth-per-address-per-minute", "60");
        d.put("login-per-account-per-minute", "10");
        d.put("ws-requests-per-second", "200");
        d.put("ws-burst", "400");
        d.put("searches-per-minute", "60");
        d.put("argon2-memory-kib", "19456");
        d.put("argon2-iterations", "2");
        d.put("max-queued-frames", "10000");
        d.put("max-queued-mib", "64");
        d.put("stun-urls", "");
        d.put("turn-urls", "");
        d.put("turn-secret", "");
        d.put("turn-ttl-seconds", "86400");
        d.put("call-ring-seconds", "30");
        d.put("discovery", "true");
        return Map.copyOf(d);
    }

    /** The keys an admin can set, for help output. */
    public static Map<String, String> knownKeysWithDefaults() {
        return new java.util.TreeMap<>(DEFAULTS);
    }

    public RelayConfig load(List<String> args, Map<String, String> environment) {
        Map<String, String> flags = parseFlags(args);
        Map<String, String> env = fromEnvironment(environment);
        Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
        String explicitFile = flags.containsKey("config") ? flags.remove("config") : env.remove("config");
        Path configFile = explicitFile != null ? Path.of(explicitFile)
                : Path.of(firstNonNull(flags.get("data"), env.get("data"), DEFAULTS.get("data")))
                        .resolve("relay.properties");
        merged.putAll(readFile(configFile, explicitFile != null));
        merged.putAll(env);
        merged.putAll(flags);
        return build(merged);
    }

    static RelayConfig build(Map<String, String> values) {
        if (intValue(values, "ping-interval-seconds", 1, 3600) >= intValue(values, "idle-timeout-seconds", 1, 3600)) {
            throw new ConfigException("ping-interval-seconds must be less than idle-timeout-seconds, or clients that"
                    + " ping as told would be cut off");
        }
        return new RelayConfig(
                values.get("name"),
                values.get("bind"),
                intValue(values, "port", 0, 65535),
                Path.of(values.get("data")).toAbsolutePath().normalize(),
                Duration.ofMinutes(intValue(values, "access-token-minutes", 1, 24 * 60)),
                Duration.ofDays(intValue(values, "refresh-token-days", 1, 3650)),
                values.get("jwt-secret"),
                syncValue(values.get("sqlite-synchronous")),
                Duration.ofSeconds(intValue(values, "idle-timeout-seconds", 1, 3600)),
                Duration.ofSeconds(intValue(values, "ping-interval-seconds", 1, 3600)),
                Duration.ofSeconds(intValue(values, "hello-timeout-seconds", 1, 600)),
                intValue(values, "auth-per-address-per-minute", 1, 1_000_000),
                intValue(values, "login-per-account-per-minute", 1, 1_000_000),
                intValue(values, "ws-requests-per-second", 1, 1_000_000),
                intValue(values, "ws-burst", 1, 1_000_000),
                intValue(values, "searches-per-minute", 1, 1_000_000),
                intValue(values, "argon2-memory-kib", 64, 4 * 1024 * 1024),
                intValue(values, "argon2-iterations", 1, 100),
                intValue(values, "max-queued-frames", 10, 10_000_000),
                intValue(values, "max-queued-mib", 1, 64 * 1024) * 1024L * 1024L,
                listValue(values, "stun-urls"),
                listValue(values, "turn-urls"),
                values.get("turn-secret"),
                Duration.ofSeconds(intValue(values, "turn-ttl-seconds", 60, 7 * 24 * 3600)),
                Duration.ofSeconds(intValue(values, "call-ring-seconds", 1, 600)),
                booleanValue(values, "discovery"));
    }

    private static Map<String, String> parseFlags(List<String> args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + arg + "'; options look like --port 7400");
            }
            String key;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                key = arg.substring(2, eq);
                value = arg.substring(eq + 1);
            } else {
                key = arg.substring(2);
                if (i + 1 >= args.size()) {
                    throw new ConfigException("option --" + key + " needs a value");
                }
                value = args.get(++i);
            }
            if (!key.equals("config")) {
                requireKnown(key, "option --" + key);
            }
            flags.put(key, value);
        }
        return flags;
    }

    private static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        for (var entry : environment.entrySet()) {
            if (!entry.getKey().startsWith("PARLEY_")) {
                continue;
            }
            String key = entry.getKey().substring("PARLEY_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
            if (DEFAULTS.containsKey(key) || key.equals("config")) {
                values.put(key, entry.getValue());
            }
        }
        return values;
    }

    private static Map<String, String> readFile(Path file, boolean mustExist) {
        if (!Files.exists(file)) {
            if (mustExist) {
                throw new ConfigException("config file " + file + " does not exist");
            }
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            requireKnown(key, "key '" + key + "' in " + file);
            values.put(key, properties.getProperty(key).trim());
        }
        return values;
    }

    private static void requireKnown(String key, String where) {
        if (!DEFAULTS.containsKey(key)) {
            throw new ConfigException("unknown " + where + "; known keys: " + String.join(", ",
                    knownKeysWithDefaults().keySet()));
        }
    }

    private static int intValue(Map<String, String> values, String key, int min, int max) {
        String raw = values.get(key);
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw new ConfigException(key + " must be between " + min + " and " + max + ", not " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, not '" + raw + "'");
        }
    }

    /** Comma-separated values, e.g. {@code stun:stun.example.org:3478,stun:10.0.0.2:3478}. */
    private static List<String> listValue(Map<String, String> values, String key) {
        return java.util.Arrays.stream(values.get(key).split(","))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .toList();
    }

    private static boolean booleanValue(Map<String, String> values, String key) {
        String raw = values.get(key).trim().toLowerCase(Locale.ROOT);
        return switch (raw) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key + " must be true or false, not '" + values.get(key) + "'");
        };
    }

    private static RelayConfig.SqliteSync syncValue(String raw) {
        try {
            return RelayConfig.SqliteSync.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("sqlite-synchronous must be full or normal, not '" + raw + "'");
        }
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
