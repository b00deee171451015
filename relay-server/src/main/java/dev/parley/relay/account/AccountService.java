package dev.parley.relay.account;

import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ErrorCode;
import dev.parley.relay.RelayException;
import dev.parley.relay.ratelimit.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Registration, sign-in, token refresh and sign-out. Sign-in attempts are rate-limited per client address and per
 * account, so a password-guessing loop against one account slows down without locking out anyone else.
 */
public final class AccountService {
    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);
    private static final Base64.Encoder TOKEN_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final long REVOCATION_OVERLAP_MS = 30_000;

    private final AccountStore store;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final RateLimiter perAddress;
    private final RateLimiter perAccount;
    private final Duration refreshTtl;
    private final Clock clock;
    private final SecureRandom random;
    private final Consumer<String> sessionRevoked;
    /** Only the housekeeping thread reads and writes it. */
    private long lastRevocationCheck;

    /** {@code sessionRevoked} hears of every signed-out session id, to close that device's live connections. */
    public AccountService(AccountStore store, PasswordHasher hasher, TokenService tokens, RateLimiter perAddress,
                          RateLimiter perAccount, Duration refreshTtl, Clock clock, SecureRandom random,
                          Consumer<String> sessionRevoked) {
        this.store = store;
        this.hasher = hasher;
        this.tokens = tokens;
        this.perAddress = perAddress;
        this.perAccount = perAccount;
        this.refreshTtl = refreshTtl;
        this.clock = clock;
        this.random = random;
        this.sessionRevoked = sessionRevoked;
        this.lastRevocationCheck = clock.millis();
    }

    public AuthResult register(String rawUsername, String password, String rawDisplayName, DeviceInfo device,
                               String address) {
        perAddress.acquire(address);
        String username = CredentialPolicy.username(rawUsername);
        String displayName = CredentialPolicy.displayName(rawDisplayName, username);
        CredentialPolicy.password(password, username);
        Account account = store.create(username, displayName, hasher.hash(password), clock.millis());
        return openSession(account, List.of(account.passwordHash()), device, address);
    }

    public AuthResult login(String rawUsername, String password, DeviceInfo device, String address) {
        perAddress.acquire(address);
        if (rawUsername == null || rawUsername.isBlank() || password == null) {
            throw new RelayException(ErrorCode.VALIDATION_FAILED, "username and password are required");
        }
        String username = rawUsername.strip();
        // Per account *and* address: keyed on the account alone, anyone could keep its owner from signing in by
        // guessing ten times a minute from anywhere. Guessing from many addresses still meets each one's own limit.
        perAccount.acquire(username.toLowerCase(Locale.ROOT) + " from " + address);
        Optional<Account> account = store.findByUsername(username);
        boolean valid = account.isPresent()
                ? hasher.verify(password, account.get().passwordHash())
                : hasher.verifyDecoy(password);
        if (!valid) {
            throw new RelayException(ErrorCode.INVALID_CREDENTIALS, "wrong username or password");
        }
        List<String> checkedHashes = List.of(account.get().passwordHash());
        if (hasher.needsRehash(account.get().passwordHash())) {
            String upgraded = hasher.hash(password);
            checkedHashes = List.of(account.get().passwordHash(), upgraded);
            try {
                store.replacePasswordHash(account.get().id(), account.get().passwordHash(), upgraded);
            } catch (RuntimeException e) {
                // An upgrade, not the sign-in: a busy or failing disk must not refuse the right password.
                LOG.warn("could not store the upgraded password hash of user {}: {}", account.get().id(),
                        e.getMessage());
            }
        }
        return openSession(account.get(), checkedHashes, device, address);
    }

    public AuthResult refresh(String refreshToken, String address) {
        perAddress.acquire(address);
        String sessionId = sessionIdOf(refreshToken);
        String newToken = newRefreshToken(sessionId);
        long now = clock.millis();
        RefreshOutcome outcome = store.rotateRefresh(sessionId, sha256(refreshToken), sha256(newToken),
                now + refreshTtl.toMillis(), now);
        return switch (outcome) {
            case ROTATED -> {
                DeviceSession session = store.findSession(sessionId).orElseThrow();
                Account account = store.findById(session.userId()).orElseThrow();
                yield new AuthResult(account, sessionId, tokens.issue(account.id(), sessionId), newToken);
            }
            case REUSED -> {
                sessionRevoked.accept(sessionId);
                throw new RelayException(ErrorCode.SESSION_REVOKED,
                    "this refresh token was already used; the device has been signed out for safety");
            }
            case EXPIRED -> throw new RelayException(ErrorCode.UNAUTHORIZED, "the refresh token expired; sign in again");
            case REVOKED -> throw new RelayException(ErrorCode.SESSION_REVOKED, "this device was signed out");
            case UNKNOWN -> throw new RelayException(ErrorCode.UNAUTHORIZED, "the refresh token is not valid");
        };
    }

    /** The principal of a valid access token whose session is still active. */
    public Principal authenticate(String accessToken) {
        if (accessToken == null || accessToken.isBlank()) {
            throw new RelayException(ErrorCode.UNAUTHORIZED, "an access token is required");
        }
        Principal principal = tokens.verify(accessToken);
        DeviceSession session = store.findSession(principal.sessionId())
                .orElseThrow(() -> new RelayException(ErrorCode.UNAUTHORIZED, "unknown session"));
        if (session.revoked()) {
            throw new RelayException(ErrorCode.SESSION_REVOKED, "this device was signed out");
        }
        return principal;
    }

    /** Whether the session may still be used: it exists and nobody signed it out. */
    public boolean sessionActive(String sessionId) {
        return store.findSession(sessionId).map(session -> !session.revoked()).orElse(false);
    }

    public void logout(Principal principal) {
        if (store.revokeSession(principal.userId(), principal.sessionId(), clock.millis())) {
            sessionRevoked.accept(principal.sessionId());
        }
    }

    /** Signs out one of the user's devices; {@code not_found} when it is not theirs or already signed out. */
    public void revoke(long userId, String sessionId) {
        if (!store.revokeSession(userId, sessionId, clock.millis())) {
            throw RelayException.notFound("session " + sessionId);
        }
        sessionRevoked.accept(sessionId);
    }

    /**
     * The signed-in user's new password. The current one is checked first (rate-limited like a sign-in, so a stolen
     * access token cannot be used to guess it); every other device of the user is signed out, this one stays.
     */
    public void changePassword(Principal principal, String currentPassword, String newPassword, String address) {
        if (currentPassword == null || newPassword == null) {
            throw new RelayException(ErrorCode.VALIDATION_FAILED, "currentPassword and newPassword are required");
        }
        Account account = account(principal.userId());
        perAccount.acquire(account.username().toLowerCase(Locale.ROOT) + " from " + address);
        if (!hasher.verify(currentPassword, account.passwordHash())) {
            throw new RelayException(ErrorCode.WRONG_PASSWORD, "the current password is wrong");
        }
        CredentialPolicy.password(newPassword, account.username());
        if (newPassword.equals(currentPassword)) {
            throw new RelayException(ErrorCode.VALIDATION_FAILED, "the new password is the current one");
        }
        List<String> signedOut = store.setPasswordHash(account.id(), account.passwordHash(),
                hasher.hash(newPassword), principal.sessionId(), clock.millis());
        signedOut.forEach(sessionRevoked);
        LOG.info("user {} changed their password; {} other device(s) signed out", account.id(), signedOut.size());
    }

    public Account account(long userId) {
        return store.findById(userId).orElseThrow(() -> RelayException.notFound("user " + userId));
    }

    public void touch(Principal principal, String address, DeviceInfo device) {
        store.touchSession(principal.sessionId(), clock.millis(), address, device);
    }

    /**
     * Closes the live connections of sessions signed out by another process on the same database (the admin's
     * {@code reset-password}), which could not reach them. Run periodically. That process stamps the revocation
     * before its write may wait up to SQLite's busy timeout (10 s) for the lock, so each look reaches
     * {@link #REVOCATION_OVERLAP_MS} further back than the last one; closing a connection twice does nothing.
     */
    public void closeSessionsRevokedElsewhere() {
        long now = clock.millis();
        for (String sessionId : store.sessionsRevokedSince(lastRevocationCheck - REVOCATION_OVERLAP_MS)) {
            sessionRevoked.accept(sessionId);
        }
        lastRevocationCheck = now;
    }

    /** Drops rate-limit state that no longer limits anyone. */
    public void evictIdleRateLimits() {
        perAddress.evictIdle();
        perAccount.evictIdle();
    }

    /** A session for {@code account}, unless its password is no longer one of {@code checkedHashes}. */
    private AuthResult openSession(Account account, List<String> checkedHashes, DeviceInfo device, String address) {
        DeviceInfo info = device == null ? DeviceInfo.unknown() : device;
        String sessionId = randomToken(16);
        String refreshToken = newRefreshToken(sessionId);
        long now = clock.millis();
        store.createSession(new DeviceSession(sessionId, account.id(), info.id(), info.name(), info.os(),
                info.appVersion(), address, now, now, now + refreshTtl.toMillis(), null), sha256(refreshToken),
                checkedHashes);
        return new AuthResult(account, sessionId, tokens.issue(account.id(), sessionId), refreshToken);
    }

    private String newRefreshToken(String sessionId) {
        return sessionId + "." + randomToken(32);
    }

    private static String sessionIdOf(String refreshToken) {
        int dot = refreshToken == null ? -1 : refreshToken.indexOf('.');
        if (dot <= 0) {
            throw new RelayException(ErrorCode.UNAUTHORIZED, "the refresh token is not valid");
        }
        return refreshToken.substring(0, dot);
    }

    private String randomToken(int bytes) {
        byte[] buffer = new byte[bytes];
        random.nextBytes(buffer);
        return TOKEN_ENCODER.encodeToString(buffer);
    }

    static String sha256(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
