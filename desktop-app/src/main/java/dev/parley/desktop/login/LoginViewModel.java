package dev.parley.desktop.login;

import dev.parley.desktop.discovery.DiscoveredRelay;
import dev.parley.desktop.discovery.RelayDiscovery;
import dev.parley.desktop.net.ApiException;
import dev.parley.desktop.net.RelayAddress;
import dev.parley.desktop.net.RelayApi;
import dev.parley.desktop.net.RelayUnreachableException;
import dev.parley.desktop.ui.I18n;
import dev.parley.desktop.ui.Refusals;
import dev.parley.protocol.CredentialRules;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.api.AuthResponse;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * First start: choose a relay (found on the LAN or typed), then sign in or create an account. The network call runs
 * on {@code background}; results come back through {@code ui}.
 */
public final class LoginViewModel {
    /** A successful sign-in: the relay's API and its answer (tokens, user). */
    public record SignedIn(RelayApi api, AuthResponse response) {
    }

    private final Function<RelayAddress, RelayApi> apis;
    private final RelayDiscovery discovery;
    private final DeviceInfo device;
    private final I18n i18n;
    private final Executor ui;
    private final Executor background;
    private final Consumer<SignedIn> onSignedIn;

    private final StringProperty relayUrl = new SimpleStringProperty("");
    private final StringProperty username = new SimpleStringProperty("");
    private final StringProperty password = new SimpleStringProperty("");
    private final StringProperty displayName = new SimpleStringProperty("");
    private final BooleanProperty registerMode = new SimpleBooleanProperty(false);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    private final ObservableList<DiscoveredRelay> discovered = FXCollections.observableArrayList();

    public LoginViewModel(Function<RelayAddress, RelayApi> apis, RelayDiscovery discovery, DeviceInfo device,
                          I18n i18n, Executor ui, Executor background, Consumer<SignedIn> onSignedIn) {
        this.apis = apis;
        this.discovery = discovery;
        this.device = device;
        this.i18n = i18n;
        this.ui = ui;
        this.background = background;
        this.onSignedIn = onSignedIn;
    }

    /** Starts listening for relays on the LAN; the first one found fills the address if none was typed. */
    public void startDiscovery() {
        discovery.start(relay -> ui.execute(() -> {
            if (discovered.stream().noneMatch(r -> r.url().equals(relay.url()))) {
                discovered.add(relay);
            }
            if (relayUrl.get() == null || relayUrl.get().isBlank()) {
                relayUrl.set(relay.url());
            }
        }), relay -> ui.execute(() -> discovered.removeIf(r -> r.url().equals(relay.url()))));
    }

    public void stopDiscovery() {
        discovery.close();
    }

    /**
     * Looks at the chosen relay in the background: one with no accounts yet (a fresh install, the demo) can only
     * be registered on, so the form switches to "create account".
     */
    public void checkRelay() {
        String url = relayUrl.get();
        background.execute(() -> {
            try {
                if (apis.apply(RelayAddress.parse(url)).info().users() == 0) {
                    ui.execute(() -> {
                        if (url.equals(relayUrl.get())) {
                            registerMode.set(true);
                        }
                    });
                }
            } catch (RuntimeException e) {
                // unreachable or not a relay: the user finds out on submit, with a clear message
            }
        });
    }

    public void choose(DiscoveredRelay relay) {
        if (relay != null) {
            relayUrl.set(relay.url());
        }
    }

    public void toggleMode() {
        registerMode.set(!registerMode.get());
        error.set(null);
    }

    /** Sign in or register, depending on the mode. */
    public void submit() {
        if (busy.get()) {
            return;
        }
        RelayAddress address;
        String typed = relayUrl.get() == null ? "" : relayUrl.get().strip();
        try {
            address = RelayAddress.parse(typed);
        } catch (IllegalArgumentException e) {
            // RelayAddress explains in English (for the command line); the form says it in the user's language.
            error.set(typed.isEmpty() ? i18n.t("login.relay.missing") : i18n.t("login.relay.invalid", typed));
            return;
        }
        String user = username.get() == null ? "" : username.get().strip();
        String pass = password.get() == null ? "" : password.get();
        if (user.isEmpty() || pass.isEmpty()) {
            error.set(i18n.t("error.required"));
            return;
        }
        boolean register = registerMode.get();
        if (register) {
            // Said here in the user's language; the relay would refuse the same in English.
            if (CredentialRules.usernameProblem(user).isPresent()) {
                error.set(i18n.t("error.invalid_username"));
                return;
            }
            Optional<String> weak = PasswordRuleText.problem(i18n, pass, user);
            if (weak.isPresent()) {
                error.set(weak.get());
                return;
            }
        }
        String display = displayName.get() == null || displayName.get().isBlank() ? null : displayName.get().strip();
        busy.set(true);
        error.set(null);
        background.execute(() -> {
            try {
                RelayApi api = apis.apply(address);
                AuthResponse response = register
                        ? api.register(user, pass, display, device)
                        : api.login(user, pass, device);
                ui.execute(() -> {
                    busy.set(false);
                    password.set("");
                    onSignedIn.accept(new SignedIn(api, response));
                });
            } catch (ApiException e) {
                String text = Refusals.refusal(i18n, e);
                ui.execute(() -> fail(text));
            } catch (RelayUnreachableException e) {
                ui.execute(() -> fail(i18n.t("error.unreachable", address.toString())));
            } catch (RuntimeException e) {
                ui.execute(() -> fail(i18n.t("error.generic", String.valueOf(e.getMessage()))));
            }
        });
    }

    /** A message from outside the form, e.g. why the user has to sign in again. */
    public void showError(String message) {
        error.set(message);
    }

    private void fail(String message) {
        busy.set(false);
        error.set(message);
    }

    public StringProperty relayUrlProperty() {
        return relayUrl;
    }

    public StringProperty usernameProperty() {
        return username;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    public StringProperty displayNameProperty() {
        return displayName;
    }

    public BooleanProperty registerModeProperty() {
        return registerMode;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ObservableList<DiscoveredRelay> discovered() {
        return discovered;
    }
}
