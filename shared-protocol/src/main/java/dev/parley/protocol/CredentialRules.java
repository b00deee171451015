package dev.parley.protocol;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a new username and a new password must be. The relay enforces these (its refusal's message is English, for
 * any client); the app checks them first so it can say what is wrong in the user's language before asking. Existing
 * passwords are never checked again: a sign-in only compares.
 */
public final class CredentialRules {
    /** Letters and digits, then also '.', '_' and '-'. */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    public static final int MIN_DIFFERENT_PASSWORD_CHARACTERS = 4;

    private CredentialRules() {
    }

    public enum UsernameProblem { MISSING, WRONG_LENGTH, WRONG_CHARACTERS }

    public enum PasswordProblem { TOO_SHORT, TOO_LONG, CONTAINS_USERNAME, TOO_FEW_DIFFERENT_CHARACTERS }

    /** What is wrong with {@code username} as typed (surrounding blanks are not part of it); empty if nothing. */
    public static Optional<UsernameProblem> usernameProblem(String username) {
        if (username == null || username.isBlank()) {
            return Optional.of(UsernameProblem.MISSING);
        }
        String stripped = username.strip();
        if (stripped.length() < Limits.MIN_USERNAME_LENGTH || stripped.length() > Limits.MAX_USERNAME_LENGTH) {
            return Optional.of(UsernameProblem.WRONG_LENGTH);
        }
        if (!USERNAME.matcher(stripped).matches()) {
            return Optional.of(UsernameProblem.WRONG_CHARACTERS);
        }
        return Optional.empty();
    }

    /** What is wrong with {@code password} as the new password of {@code username}; empty if nothing. */
    public static Optional<PasswordProblem> passwordProblem(String password, String username) {
        if (password == null || password.length() < Limits.MIN_PASSWORD_LENGTH) {
            return Optional.of(PasswordProblem.TOO_SHORT);
        }
        if (password.length() > Limits.MAX_PASSWORD_LENGTH) {
            return Optional.of(PasswordProblem.TOO_LONG);
        }
        if (username != null && !username.isBlank()
                && password.toLowerCase(Locale.ROOT).contains(username.strip().toLowerCase(Locale.ROOT))) {
            return Optional.of(PasswordProblem.CONTAINS_USERNAME);
        }
        if (password.chars().distinct().count() < MIN_DIFFERENT_PASSWORD_CHARACTERS) {
            return Optional.of(PasswordProblem.TOO_FEW_DIFFERENT_CHARACTERS);
        }
        return Optional.empty();
    }
}
