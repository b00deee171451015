package dev.parley.relay.account;

import dev.parley.protocol.ErrorCode;
import dev.parley.relay.RelayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CredentialPolicyTest {
    @ParameterizedTest
    @ValueSource(strings = {"ab", "-leading", "has space", "émile", "way-too-long-username-for-parley-relay"})
    void badUsernamesAreRefused(String username) {
        RelayException e = assertThrows(RelayException.class, () -> CredentialPolicy.username(username));
        assertEquals(ErrorCode.INVALID_USERNAME, e.code());
    }

    @Test
    void usernamesAreTrimmed() {
        assertEquals("alice.b", CredentialPolicy.username("  alice.b "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "xxalicexx-long", "aaaaaaaaaaaa", "abababababab"})
    void weakPasswordsAreRefused(String password) {
        RelayException e = assertThrows(RelayException.class, () -> CredentialPolicy.password(password, "Alice"));
        assertEquals(ErrorCode.WEAK_PASSWORD, e.code());
    }

    @Test
    void displayNamesDefaultToTheUsername() {
        assertEquals("alice", CredentialPolicy.displayName("  ", "alice"));
        assertEquals("Alice B.", CredentialPolicy.displayName(" Alice B. ", "alice"));
        assertThrows(RelayException.class, () -> CredentialPolicy.displayName("bell\u0007", "alice"));
    }
}
