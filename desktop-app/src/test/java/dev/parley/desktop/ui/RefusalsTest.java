package dev.parley.desktop.ui;

import dev.parley.desktop.net.ApiException;
import dev.parley.desktop.net.NotConnectedException;
import dev.parley.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A failed request said in the user's language, whatever wraps it; only unknown refusals keep the relay's words. */
class RefusalsTest {
    private final I18n german = new I18n(Locale.GERMAN);

    @Test
    void knownRefusalsOfflineAndTimeoutsAreSaidInGerman() {
        assertEquals("Sie sind nicht mehr Mitglied dieser Unterhaltung.", Refusals.describe(german,
                new CompletionException(new ApiException(ErrorCode.NOT_MEMBER, "you are not a member of 7")),
                "chat.offlineAction"));
        assertEquals(german.t("chat.offlineAction"), Refusals.describe(german, new NotConnectedException(),
                "chat.offlineAction"));
        assertEquals("Das Relay hat nicht rechtzeitig geantwortet; bitte erneut versuchen.",
                Refusals.describe(german, new CompletionException(new TimeoutException()), "chat.offlineAction"));
        assertEquals("Zu viele Versuche; bitte kurz warten.", Refusals.describe(german,
                new ApiException(ErrorCode.RATE_LIMITED, "slow down"), "search.offline"));
    }

    @Test
    void anUnknownRefusalShowsTheRelaysWordsAndNeverNothing() {
        assertEquals("the name is reserved", Refusals.describe(german,
                new ApiException(ErrorCode.VALIDATION_FAILED, "the name is reserved"), "chat.offlineAction"));
        assertEquals("IllegalStateException", Refusals.describe(german, new IllegalStateException(),
                "chat.offlineAction"));
    }
}
