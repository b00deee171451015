package dev.parley.desktop;

import dev.parley.desktop.net.Backoff;
import dev.parley.desktop.settings.AppDirs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the app was started: {@code --relay URL} (use this relay; the demo passes its own), {@code --profile DIR}
 * (or {@code PARLEY_PROFILE}: keep every file under DIR instead of the user's directories), {@code --no-discovery}.
 */
public record AppOptions(AppDirs dirs, String relayUrl, boolean discovery, Duration backoffMin, Duration backoffMax) {

    public static final String USAGE = """
            Usage: parley app [--relay URL] [--profile DIR] [--no-discovery]
              --relay URL      sign in to this relay (e.g. http://office-pc:7400) instead of choosing one
              --profile DIR    keep settings, sign-in and cache in DIR (also: PARLEY_PROFILE)
              --no-discovery   do not look for relays on the LAN""";

    public static AppOptions parse(List<String> args, Map<String, String> env) {
        String relay = null;
        String profile = env.get("PARLEY_PROFILE");
        boolean discovery = true;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--relay" -> relay = value(args, ++i, arg);
                case "--profile" -> profile = value(args, ++i, arg);
                case "--no-discovery" -> discovery = false;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        AppDirs dirs = profile != null && !profile.isBlank()
                ? AppDirs.forProfile(Path.of(profile))
                : AppDirs.standard(System.getProperty("os.name"), env, Path.of(System.getProperty("user.home")));
        return new AppOptions(dirs, relay, discovery, Duration.ofMillis(500), Duration.ofSeconds(15));
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }

    public Backoff backoff() {
        return new Backoff(backoffMin, backoffMax);
    }

    public AppOptions withBackoff(Duration min, Duration max) {
        return new AppOptions(dirs, relayUrl, discovery, min, max);
    }
}
