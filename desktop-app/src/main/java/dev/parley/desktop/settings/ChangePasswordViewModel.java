package dev.parley.desktop.settings;

import dev.parley.desktop.login.PasswordRuleText;
import dev.parley.desktop.net.ApiException;
import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.net.RelayUnreachableException;
import dev.parley.desktop.ui.I18n;
import dev.parley.desktop.ui.Refusals;
import dev.parley.protocol.CredentialRules;
import dev.parley.protocol.ErrorCode;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The change-password form: the current password, the new one twice. The relay checks the current one; the new
 * one's rules, a mismatch and an unchanged password are caught here before asking, in the user's language. On success the fields are
 * emptied and {@code onChanged} runs (the relay has signed the user's other devices out).
 */
public final class ChangePasswordViewModel {
    private final ChatClient client;
    private final Executor ui;
    private final Executor background;
    private final I18n i18n;
    private final Runnable onChanged;
    private final StringProperty current = new SimpleStringProperty("");
    private final StringProperty next = new SimpleStringProperty("");
    private final StringProperty repeat = new SimpleStringProperty("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper changed = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    private final StringBinding hint;
    private final BooleanBinding canSubmit;

    public ChangePasswordViewModel(ChatClient client, Executor ui, Executor background, I18n i18n,
                                   Runnable onChanged) {
        this.client = client;
        this.ui = ui;
        this.background = background;
        this.i18n = i18n;
        this.onChanged = onChanged;
        String username = client.login().username();
        hint = Bindings.createStringBinding(() -> {
            if (!next.get().isEmpty()) {
                Optional<String> problem = PasswordRuleText.problem(i18n, next.get(), username);
                if (problem.isPresent()) {
                    return problem.get();
                }
            }
            if (!repeat.get().isEmpty() && !repeat.get().equals(next.get())) {
                return i18n.t("password.mismatch");
            }
            return "";
        }, next, repeat);
        canSubmit = Bindings.createBooleanBinding(() -> !busy.get() && !current.get().isEmpty()
                && CredentialRules.passwordProblem(next.get(), username).isEmpty() && next.get().equals(repeat.get()),
                busy, current, next, repeat);
        // A new attempt: the last refusal no longer applies.
        current.addListener((o, was, now) -> error.set(null));
        next.addListener((o, was, now) -> error.set(null));
    }

    public StringProperty currentProperty() {
        return current;
    }

    public StringProperty newProperty() {
        return next;
    }

    public StringProperty repeatProperty() {
        return repeat;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** True once the relay accepted the new password. */
    public ReadOnlyBooleanProperty changedProperty() {
        return changed.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** What is wrong with the new password as typed so far; empty when nothing is. */
    public StringBinding hint() {
        return hint;
    }

    public BooleanBinding canSubmit() {
        return canSubmit;
    }

    public void submit() {
        if (!canSubmit.get()) {
            return;
        }
        String currentPassword = current.get();
        String newPassword = next.get();
        if (newPassword.equals(currentPassword)) {
            error.set(i18n.t("password.unchanged"));
            return;
        }
        busy.set(true);
        error.set(null);
        background.execute(() -> {
            try {
                client.changePassword(currentPassword, newPassword);
                ui.execute(() -> {
                    busy.set(false);
                    current.set("");
                    next.set("");
                    repeat.set("");
                    changed.set(true);
                    onChanged.run();
                });
            } catch (ApiException e) {
                String text = refusal(e);
                ui.execute(() -> fail(text));
            } catch (RelayUnreachableException e) {
                ui.execute(() -> fail(i18n.t("error.unreachable", client.login().relayUrl())));
            } catch (RuntimeException e) {
                ui.execute(() -> fail(i18n.t("error.generic", String.valueOf(e.getMessage()))));
            }
        });
    }

    private String refusal(ApiException e) {
        if (e.code() == ErrorCode.WRONG_PASSWORD) {
            return i18n.t("password.wrong");
        }
        if (e.code() == ErrorCode.WEAK_PASSWORD) {
            // Only a relay whose rules differ from this app's gets here; its message (English) says which rule.
            return i18n.t("password.weak", e.getMessage());
        }
        return Refusals.refusal(i18n, e);
    }

    private void fail(String message) {
        busy.set(false);
        error.set(message);
    }
}
