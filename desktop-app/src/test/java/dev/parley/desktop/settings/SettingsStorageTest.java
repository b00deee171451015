package dev.parley.desktop.settings;

import dev.parley.desktop.net.SavedLogin;
import dev.parley.protocol.ProtocolJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where files go, and that the sign-in token is readable only by the user. */
class SettingsStorageTest {
    @TempDir
    Path dir;

    @Test
    void linuxFollowsXdgAndAProfileKeepsEverythingInOnePlace() {
        Path home = Path.of("/home/ann");
        AppDirs plain = AppDirs.standard("Linux", Map.of(), home);
        assertEquals(home.resolve(".config/parley"), plain.config());
        assertEquals(home.resolve(".local/share/parley"), plain.data());
        assertEquals(home.resolve(".cache/parley"), plain.cache());
        AppDirs xdg = AppDirs.standard("Linux", Map.of("XDG_CONFIG_HOME", "/cfg", "XDG_DATA_HOME", "relative"), home);
        assertEquals(Path.of("/cfg/parley"), xdg.config());
        assertEquals(home.resolve(".local/share/parley"), xdg.data(), "relative XDG paths are ignored");
        assertEquals(Path.of("/Users/ann/Library/Application Support/Parley"),
                AppDirs.standard("Mac OS X", Map.of(), Path.of("/Users/ann")).config());
        AppDirs profile = AppDirs.forProfile(dir);
        assertTrue(profile.config().startsWith(dir) && profile.data().startsWith(dir));
    }

    @Test
    void theRefreshTokenFileIsReadableOnlyByTheUser() throws Exception {
        TokenStore store = new TokenStore(dir.resolve("config"), new ProtocolJson());
        SavedLogin login = new SavedLogin("http://relay:7400", 3, "ann", "Ann", "sess", "refresh-secret");
        store.save(login);
        assertEquals(login, store.load().orElseThrow());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        store.clear();
        assertFalse(store.load().isPresent());
    }

    @Test
    void clearingASignedOutSessionLeavesANewerSignInAlone() {
        TokenStore store = new TokenStore(dir.resolve("config"), new ProtocolJson());
        SavedLogin old = new SavedLogin("http://relay:7400", 3, "ann", "Ann", "old-session", "r1");
        SavedLogin newer = new SavedLogin("http://relay:7400", 4, "bea", "Bea", "new-session", "r2");
        store.save(old);
        store.clearSession("old-session");
        assertFalse(store.load().isPresent());

        store.save(newer);
        store.clearSession("old-session");
        assertEquals(newer, store.load().orElseThrow());
    }

    @Test
    void aDamagedSettingsFileOrAConfigFolderThatCannotBeWrittenDoesNotStopTheApp() throws Exception {
        Path config = dir.resolve("damaged");
        Files.createDirectories(config);
        Files.writeString(config.resolve("settings.properties"), "theme=DARK\nbroken=\\u12G4\n");
        Settings damaged = Settings.load(config);
        assertFalse(damaged.deviceId().isBlank(), "defaults apply");

        Path notADirectory = dir.resolve("a-file");
        Files.writeString(notADirectory, "the config folder's place is taken by a file");
        Settings unsaved = Settings.load(notADirectory);
        String device = unsaved.deviceId();
        unsaved.theme(Settings.Theme.DARK);
        assertEquals(device, unsaved.deviceId(), "kept for this run though it cannot be saved");
        assertEquals(Settings.Theme.DARK, unsaved.theme());
    }

    @Test
    void settingsPersist() {
        Settings settings = Settings.load(dir);
        String device = settings.deviceId();
        settings.theme(Settings.Theme.DARK);
        settings.language(Locale.GERMAN);
        settings.showNotices(false);
        Settings again = Settings.load(dir);
        assertEquals(device, again.deviceId());
        assertEquals(Settings.Theme.DARK, again.theme());
        assertEquals("de", again.language().orElseThrow().getLanguage());
        assertFalse(again.showNotices());
    }
}
