package dev.parley.desktop.settings;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where the app keeps its files, in the places each OS expects: settings and the sign-in token under the config
 * directory, the message cache and outbox under the data directory (the outbox must survive cache cleaners, so it is
 * not under the cache directory), logs under the logs directory. A profile directory (flag {@code --profile} or
 * {@code PARLEY_PROFILE}) puts all of them under one folder, so the demo and tests never touch the real user's files.
 * <ul>
 *   <li>Linux (XDG): {@code $XDG_CONFIG_HOME/parley}, {@code $XDG_DATA_HOME/parley}, {@code $XDG_CACHE_HOME/parley},
 *       {@code $XDG_STATE_HOME/parley/logs} (defaults {@code ~/.config}, {@code ~/.local/share}, {@code ~/.cache},
 *       {@code ~/.local/state}).</li>
 *   <li>Windows: {@code %APPDATA%\Parley} (settings roam with the user), {@code %LOCALAPPDATA%\Parley} (data),
 *       {@code %LOCALAPPDATA%\Parley\Cache}, {@code %LOCALAPPDATA%\Parley\Logs}.</li>
 *   <li>macOS: {@code ~/Library/Application Support/Parley} (settings and data), {@code ~/Library/Caches/Parley},
 *       {@code ~/Library/Logs/Parley} (where Console.app looks).</li>
 * </ul>
 */
public record AppDirs(Path config, Path data, Path cache, Path logs) {

    public static AppDirs forProfile(Path profile) {
        Path root = profile.toAbsolutePath().normalize();
        return new AppDirs(root.resolve("config"), root.resolve("data"), root.resolve("cache"), root.resolve("logs"));
    }

    /** The user's standard directories for this OS; {@code env} and {@code home} are passed in for testability. */
    public static AppDirs standard(String osName, Map<String, String> env, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            Path roaming = pathOr(env.get("APPDATA"), home.resolve("AppData").resolve("Roaming"));
            Path local = pathOr(env.get("LOCALAPPDATA"), home.resolve("AppData").resolve("Local"));
            Path app = local.resolve("Parley");
            return new AppDirs(roaming.resolve("Parley"), app, app.resolve("Cache"), app.resolve("Logs"));
        }
        if (os.contains("mac")) {
            Path support = home.resolve("Library").resolve("Application Support").resolve("Parley");
            return new AppDirs(support, support, home.resolve("Library").resolve("Caches").resolve("Parley"),
                    home.resolve("Library").resolve("Logs").resolve("Parley"));
        }
        return new AppDirs(
                pathOr(env.get("XDG_CONFIG_HOME"), home.resolve(".config")).resolve("parley"),
                pathOr(env.get("XDG_DATA_HOME"), home.resolve(".local").resolve("share")).resolve("parley"),
                pathOr(env.get("XDG_CACHE_HOME"), home.resolve(".cache")).resolve("parley"),
                pathOr(env.get("XDG_STATE_HOME"), home.resolve(".local").resolve("state")).resolve("parley")
                        .resolve("logs"));
    }

    private static Path pathOr(String value, Path fallback) {
        // XDG says relative values are invalid and must be ignored.
        return value != null && !value.isBlank() && Path.of(value).isAbsolute() ? Path.of(value) : fallback;
    }
}
