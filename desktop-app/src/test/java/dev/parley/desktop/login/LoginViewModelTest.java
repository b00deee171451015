package dev.parley.desktop.login;

import dev.parley.desktop.discovery.DiscoveredRelay;
import dev.parley.desktop.discovery.RelayDiscovery;
import dev.parley.desktop.net.RelayApi;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.DeviceInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Choosing a relay (found or typed), registering and signing in, with errors in the user's language. */
@Timeout(60)
class LoginViewModelTest {
    private static RelayFixture relay;

    @BeforeAll
    static void startRelay() {
        relay = RelayFixture.start();
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
    }

    /** Discovery that "finds" the given relays as soon as it starts. */
    private static RelayDiscovery finding(DiscoveredRelay... relays) {
        return new RelayDiscovery() {
            @Override
            public void start(Consumer<DiscoveredRelay> found, Consumer<DiscoveredRelay> lost) {
                for (DiscoveredRelay r : relays) {
                    found.accept(r);
                }
            }

            @Override
            public void close() {
            }
        };
    }

    private static LoginViewModel vm(RelayDiscovery discovery, Locale locale, List<LoginViewModel.SignedIn> out) {
        return new LoginViewModel(address -> new RelayApi(address, relay.json()), discovery,
                new DeviceInfo("d", "test", "test", "1"), new I18n(locale), Runnable::run, Runnable::run, out::add);
    }

    @Test
    void aRelayFoundOnTheLanFillsTheAddressAndRegisteringSignsIn() {
        List<LoginViewModel.SignedIn> signedIn = new ArrayList<>();
        DiscoveredRelay office = new DiscoveredRelay("Office relay", relay.url());
        LoginViewModel vm = vm(finding(office), Locale.ENGLISH, signedIn);
        vm.startDiscovery();
        assertEquals(List.of(office), vm.discovered());
        assertEquals(relay.url(), vm.relayUrlProperty().get(), "the first relay found is preselected");

        vm.toggleMode();
        vm.usernameProperty().set("newcomer");
        vm.passwordProperty().set("correct horse battery");
        vm.displayNameProperty().set("New Comer");
        vm.submit();
        assertNull(vm.errorProperty().get());
        assertEquals(1, signedIn.size());
        assertEquals("New Comer", signedIn.getFirst().response().user().displayName());
        assertEquals("", vm.passwordProperty().get(), "the password does not linger");
        assertFalse(vm.busyProperty().get());
    }

    @Test
    void aRelayWithoutAccountsOpensTheFormInRegisterMode() {
        try (RelayFixture empty = RelayFixture.start()) {
            LoginViewModel vm = new LoginViewModel(address -> new RelayApi(address, empty.json()),
                    RelayDiscovery.none(), new DeviceInfo("d", "t", "t", "1"), new I18n(Locale.ENGLISH),
                    Runnable::run, Runnable::run, signedIn -> { });
            vm.relayUrlProperty().set(empty.url());
            vm.checkRelay();
            assertTrue(vm.registerModeProperty().get(), "nobody to sign in as yet");
        }
        LoginViewModel vm = vm(RelayDiscovery.none(), Locale.ENGLISH, new ArrayList<>());
        relay.register("someone", "Someone");
        vm.relayUrlProperty().set(relay.url());
        vm.checkRelay();
        assertFalse(vm.registerModeProperty().get(), "a relay in use opens the sign-in form");
    }

    @Test
    void errorsAreClearAndTranslated() {
        relay.register("taken", "Taken");
        List<LoginViewModel.SignedIn> signedIn = new ArrayList<>();
        LoginViewModel vm = vm(RelayDiscovery.none(), Locale.GERMAN, signedIn);
        vm.relayUrlProperty().set(relay.url().replace("http://", ""));
        vm.usernameProperty().set("taken");
        vm.passwordProperty().set("wrong password!");
        vm.submit();
        assertEquals("Benutzername oder Passwort ist falsch. Passwort vergessen? Wer das Relay betreibt, kann Ihnen"
                + " ein neues geben.", vm.errorProperty().get());

        vm.toggleMode();
        vm.passwordProperty().set("correct horse battery");
        vm.submit();
        assertEquals("Dieser Benutzername ist vergeben.", vm.errorProperty().get());

        // A new account's rules are checked before asking, so the broken one is said in German too (the relay's
        // refusal would be English).
        vm.usernameProperty().set("newcomer");
        vm.passwordProperty().set("newcomer-2026");
        vm.submit();
        assertEquals("Ein Passwort darf den Benutzernamen nicht enthalten.", vm.errorProperty().get());
        vm.passwordProperty().set("abababababab");
        vm.submit();
        assertEquals("Ein Passwort braucht mindestens 4 verschiedene Zeichen.", vm.errorProperty().get());
        vm.passwordProperty().set("short");
        vm.submit();
        assertEquals("Ein Passwort braucht mindestens 8 Zeichen.", vm.errorProperty().get());
        vm.usernameProperty().set("-leading dash");
        vm.passwordProperty().set("correct horse battery");
        vm.submit();
        assertEquals("Benutzernamen bestehen aus 3–32 Buchstaben, Ziffern, Punkten, Binde- oder Unterstrichen.",
                vm.errorProperty().get());
        vm.usernameProperty().set("taken");

        vm.relayUrlProperty().set("127.0.0.1:1");
        vm.submit();
        assertTrue(vm.errorProperty().get().contains("127.0.0.1:1"), vm.errorProperty().get());

        vm.relayUrlProperty().set("ftp://nope");
        vm.submit();
        assertEquals("„ftp://nope“ ist keine Relay-Adresse. Geben Sie Rechner und Port (buero-pc:7400) oder eine"
                + " http://- oder https://-Adresse ein.", vm.errorProperty().get());
        vm.relayUrlProperty().set("  ");
        vm.submit();
        assertEquals("Geben Sie die Adresse des Relays ein, z. B. buero-pc:7400.", vm.errorProperty().get());
        assertTrue(signedIn.isEmpty());

        vm.toggleMode();
        vm.relayUrlProperty().set(relay.url());
        vm.usernameProperty().set("taken");
        vm.passwordProperty().set("correct horse battery");
        vm.submit();
        assertEquals(1, signedIn.size(), "signing in with the right password works");
    }
}
