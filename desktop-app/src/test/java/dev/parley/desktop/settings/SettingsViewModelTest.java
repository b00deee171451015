package dev.parley.desktop.settings;

import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.desktop.support.UiThread;
import dev.parley.desktop.ui.I18n;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The settings window's device list with the relay gone and back: the problem in German, then gone. */
@Timeout(60)
class SettingsViewModelTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final UiThread ui = new UiThread();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private RelayFixture relay;

    @AfterEach
    void stop() {
        background.shutdownNow();
        ui.close();
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void aProblemLoadingTheDevicesIsSaidInTheUsersLanguageAndGoesOnTheNextVisit(@TempDir Path dir) {
        relay = RelayFixture.start();
        ChatClient client = relay.client("set-ann", "Ann");
        SettingsViewModel vm = ui.call(() -> new SettingsViewModel(Settings.load(dir), client, ui, background,
                locale -> { }, theme -> { }, () -> { }, new I18n(Locale.GERMAN)));

        relay.stop();
        ui.run(vm::opened);
        await().atMost(WAIT).until(() -> ui.call(() -> vm.errorProperty().get() != null));
        assertEquals(Optional.of("Solange das Relay nicht erreichbar ist, können die Geräte nicht angezeigt oder"
                + " abgemeldet werden."), Optional.ofNullable(ui.call(() -> vm.errorProperty().get())));

        relay.restart();
        ui.run(vm::opened);
        assertEquals(null, ui.call(() -> vm.errorProperty().get()), "a new visit starts without the old problem");
        await().atMost(WAIT).until(() -> ui.call(() -> vm.sessions().size() == 1));
    }
}
