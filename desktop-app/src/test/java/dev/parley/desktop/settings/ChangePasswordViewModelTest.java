package dev.parley.desktop.settings;

import dev.parley.desktop.net.ApiException;
import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.net.ConnectionState;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.desktop.support.UiThread;
import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.api.AuthResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The change-password form without an FX thread (a test thread plays it), with real clients against a real relay:
 * what it catches before asking, the relay's refusals in the user's words, and a change that keeps this device and
 * signs the user's other device out.
 */
@Timeout(60)
class ChangePasswordViewModelTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PASSWORD = "correct horse battery";
    private static RelayFixture relay;
    private final UiThread ui = new UiThread();
    private final ExecutorService background = Executors.newSingleThreadExecutor();
    private final I18n i18n = new I18n(Locale.ENGLISH);
    private final AtomicInteger changes = new AtomicInteger();

    @BeforeAll
    static void startRelay() {
        relay = RelayFixture.start();
    }

    @AfterEach
    void stop() {
        background.shutdownNow();
        ui.close();
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
    }

    private ChangePasswordViewModel form(ChatClient client) {
        return ui.call(() -> new ChangePasswordViewModel(client, ui, background, i18n, changes::incrementAndGet));
    }

    @Test
    void theFormCatchesBrokenRulesAMismatchAndAnUnchangedPasswordBeforeAsking() {
        ChangePasswordViewModel vm = form(relay.client("pw-ann", "Ann"));
        ui.run(() -> {
            assertFalse(vm.canSubmit().get(), "empty");
            vm.currentProperty().set(PASSWORD);
            vm.newProperty().set("short");
            assertEquals("A password needs at least 8 characters.", vm.hint().get());
            assertFalse(vm.canSubmit().get());
            vm.newProperty().set("my name is pw-ann");
            assertEquals("A password must not contain the username.", vm.hint().get());
            vm.newProperty().set("abababababab");
            vm.repeatProperty().set("abababababab");
            assertEquals("A password needs at least 4 different characters.", vm.hint().get());
            assertFalse(vm.canSubmit().get(), "a rule the relay would refuse is not sent");
            vm.repeatProperty().set("");
            vm.newProperty().set("long enough now");
            vm.repeatProperty().set("long enough no");
            assertEquals("The new passwords don’t match.", vm.hint().get());
            assertFalse(vm.canSubmit().get());
            vm.repeatProperty().set("long enough now");
            assertEquals("", vm.hint().get());
            assertTrue(vm.canSubmit().get());

            vm.newProperty().set(PASSWORD);
            vm.repeatProperty().set(PASSWORD);
            vm.submit();
            assertEquals("The new password is the same as the current one.", vm.errorProperty().get());
            assertFalse(vm.busyProperty().get(), "nothing was sent");
        });
        assertEquals(0, changes.get());
    }

    @Test
    void theRelaysRefusalsAreShownAndTheFormKeepsWhatWasTyped() {
        ChatClient client = relay.client("pw-ben", "Ben");
        ChangePasswordViewModel vm = form(client);
        ui.run(() -> {
            vm.currentProperty().set("not my password");
            vm.newProperty().set("a brand new one");
            vm.repeatProperty().set("a brand new one");
            vm.submit();
            assertTrue(vm.busyProperty().get());
        });
        await().atMost(WAIT).until(() -> ui.call(() -> !vm.busyProperty().get()));
        ui.run(() -> {
            assertEquals("The current password is wrong.", vm.errorProperty().get());
            assertEquals("a brand new one", vm.newProperty().get(), "nothing typed is lost");
            vm.currentProperty().set(PASSWORD);
            assertNull(vm.errorProperty().get(), "typing again clears the old refusal");
        });
        assertFalse(ui.call(() -> vm.changedProperty().get()));
        assertEquals(0, changes.get());
        relay.api().login("pw-ben", PASSWORD, new DeviceInfo(null, "check", "test", "test"));
    }

    @Test
    void aChangedPasswordKeepsThisDeviceAndSignsTheOtherOneOut() {
        AuthResponse laptopSignIn = relay.register("pw-cleo", "Cleo");
        ChatClient laptop = relay.client(laptopSignIn, "pw-cleo-laptop");
        ChatClient phone = relay.client(relay.api().login("pw-cleo", PASSWORD,
                new DeviceInfo(null, "phone", "test", "test")), "pw-cleo-phone");
        ChangePasswordViewModel vm = form(laptop);

        ui.run(() -> {
            vm.currentProperty().set(PASSWORD);
            vm.newProperty().set("staple battery horse");
            vm.repeatProperty().set("staple battery horse");
            vm.submit();
        });
        await().atMost(WAIT).until(() -> ui.call(() -> vm.changedProperty().get()));

        ui.run(() -> {
            assertEquals("", vm.currentProperty().get() + vm.newProperty().get() + vm.repeatProperty().get(),
                    "no password stays in memory behind the closed form");
            assertNull(vm.errorProperty().get());
        });
        assertEquals(1, changes.get());
        await().atMost(WAIT).until(() -> phone.state() == ConnectionState.SIGNED_OUT);
        assertEquals(ConnectionState.CONNECTED, laptop.state());
        assertEquals(1, laptop.sessions().size(), "this device is the only one left");
        ApiException old = assertThrows(ApiException.class, () -> relay.api().login("pw-cleo", PASSWORD,
                new DeviceInfo(null, "check", "test", "test")));
        assertEquals(ErrorCode.INVALID_CREDENTIALS, old.code());
        relay.api().login("pw-cleo", "staple battery horse", new DeviceInfo(null, "check", "test", "test"));
    }
}
