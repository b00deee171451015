package dev.parley.desktop.login;

import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.CredentialRules;
import dev.parley.protocol.CredentialRules.PasswordProblem;
import dev.parley.protocol.Limits;

import java.util.Optional;

/**
 * A new password's broken rule in the user's language. The relay's own refusal says the same in English only, so the
 * app checks first and the relay's words are shown only if its rules differ from this app's (another version).
 */
public final class PasswordRuleText {
    private PasswordRuleText() {
    }

    /** What is wrong with {@code password} as {@code username}'s new password, said to the user; empty if nothing. */
    public static Optional<String> problem(I18n i18n, String password, String username) {
        return CredentialRules.passwordProblem(password, username).map(problem -> describe(i18n, problem));
    }

    private static String describe(I18n i18n, PasswordProblem problem) {
        return switch (problem) {
            case TOO_SHORT -> i18n.t("password.problem.tooShort", Limits.MIN_PASSWORD_LENGTH);
            case TOO_LONG -> i18n.t("password.problem.tooLong", Limits.MAX_PASSWORD_LENGTH);
            case CONTAINS_USERNAME -> i18n.t("password.problem.containsUsername");
            case TOO_FEW_DIFFERENT_CHARACTERS -> i18n.t("password.problem.tooFewDifferent",
                    CredentialRules.MIN_DIFFERENT_PASSWORD_CHARACTERS);
        };
    }
}
