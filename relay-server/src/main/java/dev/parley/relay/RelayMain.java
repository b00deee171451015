package dev.parley.relay;

import dev.parley.relay.config.ConfigException;
import dev.parley.relay.config.ConfigLoader;
import dev.parley.relay.config.RelayConfig;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code parley relay [--port N] [--data DIR] [--bind ADDR] [--config FILE] [--<key> value ...]}, and
 * {@code parley relay reset-password USERNAME [same data options]}.
 */
public final class RelayMain {
    private RelayMain() {
    }

    public static void main(String[] args) {
        List<String> arguments = Arrays.asList(args);
        if (!arguments.isEmpty() && arguments.getFirst().equals(PasswordResetCommand.NAME)) {
            System.exit(PasswordResetCommand.run(arguments.subList(1, arguments.size()), System.getenv(),
                    System.out, System.err));
            return;
        }
        if (arguments.contains("--help") || arguments.contains("-h")) {
            printHelp();
            return;
        }
        RelayConfig config;
        try {
            config = new ConfigLoader().load(arguments, System.getenv());
        } catch (ConfigException e) {
            System.err.println("parley relay: " + e.getMessage());
            System.exit(2);
            return;
        }
        RelayServer server;
        try {
            server = RelayServer.start(config);
        } catch (RuntimeException e) {
            System.err.println("parley relay: cannot start: " + rootMessage(e));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "parley-shutdown"));
        System.out.println("Parley relay " + RelayVersion.current() + " is running on http://"
                + displayHost(config.bind()) + ":" + server.port() + " (data: " + config.dataDir() + ")");
        System.out.println("Press Ctrl+C to stop.");
    }

    private static void printHelp() {
        System.out.println("""
                Usage: parley relay [--port N] [--bind ADDR] [--data DIR] [--config FILE] [--<key> VALUE ...]
                       parley relay reset-password USERNAME [--data DIR] [--config FILE]
                         (a new password for a user who forgot theirs; signs their devices out)

                Every key can also be set in a properties file (--config FILE, or relay.properties in the data
                directory) and as an environment variable PARLEY_<KEY> (upper case, '-' as '_').
                Precedence: flags, then environment, then file, then defaults.

                Keys and defaults:""");
        for (Map.Entry<String, String> entry : ConfigLoader.knownKeysWithDefaults().entrySet()) {
            System.out.printf("  %-30s %s%n", entry.getKey(), entry.getValue().isEmpty() ? "(none)" : entry.getValue());
        }
    }

    private static String displayHost(String bind) {
        return bind.equals("0.0.0.0") ? "localhost" : bind;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
