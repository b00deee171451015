package dev.parley.desktop.ui;

import dev.parley.desktop.net.ApiException;
import dev.parley.desktop.net.NotConnectedException;
import dev.parley.desktop.net.RelayUnreachableException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Why a request failed, in the user's language. The relay's own messages are English, for any client: a refusal
 * the app knows by its code gets the app's words, and only an unknown one shows the relay's text.
 */
public final class Refusals {
    private Refusals() {
    }

    /** {@code offlineKey}: what this feature says when the relay cannot be reached. */
    public static String describe(I18n i18n, Throwable failure, String offlineKey) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof NotConnectedException || cause instanceof RelayUnreachableException) {
            return i18n.t(offlineKey);
        }
        if (cause instanceof TimeoutException) {
            return i18n.t("error.timeout");
        }
        if (cause instanceof ApiException api) {
            return refusal(i18n, api);
        }
        String message = cause.getMessage();
        return i18n.t("error.generic", message == null ? cause.getClass().getSimpleName() : message);
    }

    /** The relay's refusal in the app's words when it knows the code ("error." + code), else the relay's. */
    public static String refusal(I18n i18n, ApiException api) {
        String key = "error." + api.code().wireName();
        // A text with {0} shows the relay's detail (which rule a weak password breaks); others ignore it.
        return i18n.has(key) ? i18n.t(key, api.getMessage()) : i18n.t("error.generic", api.getMessage());
    }
}
