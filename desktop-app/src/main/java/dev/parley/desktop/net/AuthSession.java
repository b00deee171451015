package dev.parley.desktop.net;

import dev.parley.protocol.UserSummary;
import dev.parley.protocol.api.AuthResponse;

import java.time.Clock;
import java.util.function.Consumer;

/**
 * The signed-in device: hands out a valid access token, refreshing it when it is about to expire. The refresh token
 * rotates on every refresh, so each new one is handed to {@code persist} before it is used anywhere else; only one
 * refresh runs at a time (a second concurrent refresh would present a rotated-out token and revoke the session).
 */
public final class AuthSession {
    private static final long EXPIRY_MARGIN_MS = 30_000;

    private final RelayApi api;
    private final Consumer<SavedLogin> persist;
    private final Clock clock;
    /** Read without the lock: the FX thread asks for the user id while a refresh may hold it for seconds. */
    private volatile SavedLogin login;
    /** Set on sign-out without the lock, which a refresh may hold for seconds: from then on nothing is saved. */
    private volatile boolean signingOut;
    private String accessToken;
    private long accessTokenExpiresAt;

    public AuthSession(RelayApi api, SavedLogin login, Consumer<SavedLogin> persist, Clock clock) {
        this.api = api;
        this.login = login;
        this.persist = persist;
        this.clock = clock;
    }

    /** A session right after register/login: the access token is fresh and the login is persisted now. */
    public static AuthSession fromResponse(RelayApi api, AuthResponse response, Consumer<SavedLogin> persist,
                                           Clock clock) {
        AuthSession session = new AuthSession(api, null, persist, clock);
        session.accept(response);
        return session;
    }

    public RelayApi api() {
        return api;
    }

    public SavedLogin login() {
        return login;
    }

    public long userId() {
        return login.userId();
    }

    /** A valid access token; refreshes over REST when needed (blocking). */
    public synchronized String accessToken() {
        if (accessToken == null || clock.millis() > accessTokenExpiresAt - EXPIRY_MARGIN_MS) {
            accept(api.refresh(login.refreshToken()));
        }
        return accessToken;
    }

    /**
     * The user signed out: tokens this session still receives (the refresh that the logout call itself may need) are
     * used but never saved, so the sign-in does not come back on the next start.
     */
    public void stopSaving() {
        signingOut = true;
    }

    /** The relay refused the current access token (e.g. it expired early); the next call refreshes. */
    public synchronized void invalidateAccessToken() {
        accessToken = null;
    }

    private void accept(AuthResponse response) {
        UserSummary user = response.user();
        login = new SavedLogin(api.relay().toString(), user.id(), user.username(), user.displayName(),
                response.sessionId(), response.refreshToken());
        if (!signingOut) {
            persist.accept(login);
        }
        accessToken = response.accessToken();
        accessTokenExpiresAt = response.accessTokenExpiresAt();
    }
}
