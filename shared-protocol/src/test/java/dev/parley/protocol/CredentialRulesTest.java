package dev.parley.protocol;

import dev.parley.protocol.CredentialRules.PasswordProblem;
import dev.parley.protocol.CredentialRules.UsernameProblem;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The rules both sides apply to a new account, each problem named by the first rule it breaks. */
class CredentialRulesTest {
    @Test
    void usernames() {
        assertEquals(Optional.of(UsernameProblem.MISSING), CredentialRules.usernameProblem("  "));
        assertEquals(Optional.of(UsernameProblem.MISSING), CredentialRules.usernameProblem(null));
        assertEquals(Optional.of(UsernameProblem.WRONG_LENGTH), CredentialRules.usernameProblem(" ab "));
        assertEquals(Optional.of(UsernameProblem.WRONG_LENGTH), CredentialRules.usernameProblem("a".repeat(33)));
        assertEquals(Optional.of(UsernameProblem.WRONG_CHARACTERS), CredentialRules.usernameProblem("-dash"));
        assertEquals(Optional.of(UsernameProblem.WRONG_CHARACTERS), CredentialRules.usernameProblem("émile"));
        assertEquals(Optional.empty(), CredentialRules.usernameProblem(" alice.b_2-x "));
        assertEquals(Optional.empty(), CredentialRules.usernameProblem("a".repeat(32)));
    }

    @Test
    void passwords() {
        assertEquals(Optional.of(PasswordProblem.TOO_SHORT), CredentialRules.passwordProblem("seven77", "ann"));
        assertEquals(Optional.of(PasswordProblem.TOO_SHORT), CredentialRules.passwordProblem(null, "ann"));
        assertEquals(Optional.of(PasswordProblem.TOO_LONG),
                CredentialRules.passwordProblem("abcd".repeat(32) + "e", "ann"));
        assertEquals(Optional.of(PasswordProblem.CONTAINS_USERNAME),
                CredentialRules.passwordProblem("hello ANN 2026", "Ann"));
        assertEquals(Optional.of(PasswordProblem.TOO_FEW_DIFFERENT_CHARACTERS),
                CredentialRules.passwordProblem("abcabcabc", "zed"));
        assertEquals(Optional.empty(), CredentialRules.passwordProblem("abcdabcd", "zed"));
        assertEquals(Optional.empty(), CredentialRules.passwordProblem("abcd".repeat(32), "zed"));
    }
}
