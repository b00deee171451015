package dev.parley.desktop.settings;

import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.ui.I18n;
import dev.parley.desktop.ui.Refusals;
import dev.parley.protocol.api.SessionInfo;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Language, theme, the password, the user's signed-in devices (with sign-out per device) and signing this device
 * out.
 */
public final class SettingsViewModel {
    private final Settings settings;
    private final ChatClient client;
    private final Executor ui;
    private final Executor background;
    private final ObservableList<SessionInfo> sessions = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    private final ReadOnlyBooleanWrapper passwordChanged = new ReadOnlyBooleanWrapper();
    private final Consumer<Optional<Locale>> onLanguage;
    private final Consumer<Settings.Theme> onTheme;
    private final Runnable onSignOut;
    private final I18n i18n;

    public SettingsViewModel(Settings settings, ChatClient client, Executor ui, Executor background,
                             Consumer<Optional<Locale>> onLanguage, Consumer<Settings.Theme> onTheme,
                             Runnable onSignOut, I18n i18n) {
        this.settings = settings;
        this.i18n = i18n;
        this.client = client;
        this.ui = ui;
        this.background = background;
        this.onLanguage = onLanguage;
        this.onTheme = onTheme;
        this.onSignOut = onSignOut;
    }

    public Optional<Locale> language() {
        return settings.language();
    }

    public void language(Optional<Locale> locale) {
        if (!locale.equals(settings.language())) {
            settings.language(locale.orElse(null));
            onLanguage.accept(locale);
        }
    }

    public Settings.Theme theme() {
        return settings.theme();
    }

    public void theme(Settings.Theme theme) {
        if (theme != settings.theme()) {
            settings.theme(theme);
            onTheme.accept(theme);
        }
    }

    public String account() {
        return client.login().username() + "|" + client.login().relayUrl();
    }

    public ObservableList<SessionInfo> sessions() {
        return sessions;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** True after the password was changed here: the devices list then shows only this one. */
    public ReadOnlyBooleanProperty passwordChangedProperty() {
        return passwordChanged.getReadOnlyProperty();
    }

    /** The form behind "Change password…"; a success reloads the devices (the others were signed out). */
    public ChangePasswordViewModel changePassword() {
        return new ChangePasswordViewModel(client, ui, background, i18n, () -> {
            passwordChanged.set(true);
            loadSessions();
        });
    }

    /** The settings window opens: fresh devices, and no notice left from an earlier visit. */
    public void opened() {
        passwordChanged.set(false);
        error.set(null);
        loadSessions();
    }

    public void loadSessions() {
        background.execute(() -> {
            try {
                var list = client.sessions();
                ui.execute(() -> {
                    sessions.setAll(list);
                    error.set(null);
                });
            } catch (RuntimeException e) {
                String why = failure(e);
                ui.execute(() -> error.set(why));
            }
        });
    }

    /** Signs another device out (or this one, which then behaves like "sign out"). */
    public void revoke(SessionInfo session) {
        if (session.current()) {
            signOut();
            return;
        }
        background.execute(() -> {
            try {
                client.revokeSession(session.id());
                var list = client.sessions();
                ui.execute(() -> {
                    sessions.setAll(list);
                    error.set(null);
                });
            } catch (RuntimeException e) {
                String why = failure(e);
                ui.execute(() -> error.set(why));
            }
        });
    }

    public void signOut() {
        onSignOut.run();
    }

    private String failure(RuntimeException e) {
        return Refusals.describe(i18n, e, "settings.devices.offline");
    }
}
