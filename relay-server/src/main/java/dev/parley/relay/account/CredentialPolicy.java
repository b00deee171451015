package dev.parley.relay.account;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Limits;
import dev.parley.relay.RelayException;

import java.util.Locale;
import java.util.regex.Pattern;

/** What usernames, display names and passwords must look like; every refusal says how to fix it. */
public final class CredentialPolicy {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private CredentialPolicy() {
    }

    public static String username(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new RelayException(ErrorCode.INVALID_USERNAME, "a username is required");
        }
        String username = raw.strip();
        if (username.length() < Limits.MIN_USERNAME_LENGTH || username.length() > Limits.MAX_USERNAME_LENGTH) {
            throw new RelayException(ErrorCode.INVALID_USERNAME, "a username has " + Limits.MIN_USERNAME_LENGTH
                    + " to " + Limits.MAX_USERNAME_LENGTH + " characters");
        }
        if (!USERNAME.matcher(username).matches()) {
            throw new RelayException(ErrorCode.INVALID_USERNAME, "a username uses letters, digits, '.', '_' and"
                    + " '-' only, and starts with a letter or digit");
        }
        return username;
    }

    public static String displayName(String raw, String username) {
        if (raw == null || raw.isBlank()) {
            return username;
        }
        String name = raw.strip();
        if (name.length() > Limits.MAX_DISPLAY_NAME_LENGTH) {
            throw new RelayException(ErrorCode.TOO_LONG, "a display name has at most "
                    + Limits.MAX_DISPLAY_NAME_LENGTH + " characters");
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            throw new RelayException(ErrorCode.VALIDATION_FAILED, "a display name cannot contain control characters");
        }
        return name;
    }

    public static void password(String password, String username) {
        if (password == null || password.length() < Limits.MIN_PASSWORD_LENGTH) {
            throw new RelayException(ErrorCode.WEAK_PASSWORD, "a password needs at least "
                    + Limits.MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > Limits.MAX_PASSWORD_LENGTH) {
            throw new RelayException(ErrorCode.WEAK_PASSWORD, "a password has at most "
                    + Limits.MAX_PASSWORD_LENGTH + " characters");
        }
        if (password.toLowerCase(Locale.ROOT).contains(username.toLowerCase(Locale.ROOT))) {
            throw new RelayException(ErrorCode.WEAK_PASSWORD, "a password must not contain the username");
        }
        if (password.chars().distinct().count() < 4) {
            throw new RelayException(ErrorCode.WEAK_PASSWORD, "a password needs at least 4 different characters");
        }
    }
}
