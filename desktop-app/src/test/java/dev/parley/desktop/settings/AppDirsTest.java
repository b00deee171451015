package dev.parley.desktop.settings;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each OS's usual places for settings, data, cache and logs. */
class AppDirsTest {

    @Test
    void linuxUsesTheXdgBaseDirectoriesAndTheirDefaults() {
        Path home = Path.of("/home/ann");
        assertEquals(new AppDirs(home.resolve(".config/parley"), home.resolve(".local/share/parley"),
                        home.resolve(".cache/parley"), home.resolve(".local/state/parley/logs")),
                AppDirs.standard("Linux", Map.of(), home));
        assertEquals(new AppDirs(Path.of("/x/config/parley"), Path.of("/x/data/parley"), Path.of("/x/cache/parley"),
                        Path.of("/x/state/parley/logs")),
                AppDirs.standard("Linux", Map.of("XDG_CONFIG_HOME", "/x/config", "XDG_DATA_HOME", "/x/data",
                        "XDG_CACHE_HOME", "/x/cache", "XDG_STATE_HOME", "/x/state"), home));
        assertEquals(home.resolve(".local/state/parley/logs"),
                AppDirs.standard("Linux", Map.of("XDG_STATE_HOME", "state", "XDG_CACHE_HOME", " "), home).logs(),
                "relative or blank XDG values are ignored, as the spec says");
    }

    @Test
    void windowsRoamsSettingsAndKeepsDataCacheAndLogsLocal() {
        // Unix-style paths stand in for C:\... so the test runs on any OS; the rules are the same.
        Path home = Path.of("/Users/ann");
        AppDirs fromEnv = AppDirs.standard("Windows 11", Map.of("APPDATA", "/Users/ann/AppData/Roaming",
                "LOCALAPPDATA", "/Users/ann/AppData/Local"), Path.of("/elsewhere"));
        assertEquals(new AppDirs(home.resolve("AppData/Roaming/Parley"), home.resolve("AppData/Local/Parley"),
                home.resolve("AppData/Local/Parley/Cache"), home.resolve("AppData/Local/Parley/Logs")), fromEnv);
        assertEquals(fromEnv, AppDirs.standard("Windows Server 2022", Map.of(), home),
                "without APPDATA/LOCALAPPDATA the same folders under the home directory");
    }

    @Test
    void macOsUsesTheLibraryFolders() {
        Path home = Path.of("/Users/ann");
        assertEquals(new AppDirs(home.resolve("Library/Application Support/Parley"),
                        home.resolve("Library/Application Support/Parley"), home.resolve("Library/Caches/Parley"),
                        home.resolve("Library/Logs/Parley")),
                AppDirs.standard("Mac OS X", Map.of("XDG_CONFIG_HOME", "/x/config"), home),
                "XDG variables do not apply on macOS");
    }

    @Test
    void aProfileKeepsAllFourInOneFolder() {
        Path profile = Path.of("/tmp/p");
        assertEquals(new AppDirs(profile.resolve("config"), profile.resolve("data"), profile.resolve("cache"),
                profile.resolve("logs")), AppDirs.forProfile(profile));
    }
}
