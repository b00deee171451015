package dev.parley.relay.account;

import dev.parley.protocol.CredentialRules;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Limits;
import dev.parley.relay.RelayException;

/** What usernames, display names and passwords must look like; every refusal says how to fix it. */
public final class CredentialPolicy {
    private CredentialPolicy() {
    }

    public static String username(String raw) {
        CredentialRules.usernameProblem(raw).ifPresent(problem -> {
            throw new RelayException(ErrorCode.INVALID_USERNAME, switch (problem) {
                case MISSING -> "a username is required";
                case WRONG_LENGTH -> "a username has " + Limits.MIN_USERNAME_LENGTH + " to "
                        + Limits.MAX_USERNAME_LENGTH + " characters";
                case WRONG_CHARACTERS -> "a username uses letters, digits, '.', '_' and '-' only, and starts with a"
                        + " letter or digit";
            });
        });
        return raw.strip();
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
        CredentialRules.passwordProblem(password, username).ifPresent(problem -> {
            throw new RelayException(ErrorCode.WEAK_PASSWORD, switch (problem) {
                case TOO_SHORT -> "a password needs at least " + Limits.MIN_PASSWORD_LENGTH + " characters";
                case TOO_LONG -> "a password has at most " + Limits.MAX_PASSWORD_LENGTH + " characters";
                case CONTAINS_USERNAME -> "a password must not contain the username";
                case TOO_FEW_DIFFERENT_CHARACTERS -> "a password needs at least "
                        + CredentialRules.MIN_DIFFERENT_PASSWORD_CHARACTERS + " different characters";
            });
        });
    }
}
