package dev.parley.relay.account;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(19456, 2, new SecureRandom());

    @Test
    void hashesAreSaltedArgon2idStringsThatVerify() {
        String first = hasher.hash("correct horse battery");
        String second = hasher.hash("correct horse battery");

        assertTrue(first.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), first);
        assertNotEquals(first, second, "each hash has its own salt");
        assertTrue(hasher.verify("correct horse battery", first));
        assertTrue(hasher.verify("correct horse battery", second));
        assertFalse(hasher.verify("correct horse batterY", first));
    }

    @Test
    void hashesMadeWithOtherParametersStillVerify() {
        String cheap = new PasswordHasher(1024, 1, new SecureRandom()).hash("secret words");
        assertTrue(hasher.verify("secret words", cheap));
    }

    @Test
    void onlyHashesMadeWithOtherSettingsNeedARehash() {
        assertFalse(hasher.needsRehash(hasher.hash("secret words")));
        assertTrue(hasher.needsRehash(new PasswordHasher(1024, 2, new SecureRandom()).hash("secret words")));
        assertTrue(hasher.needsRehash(new PasswordHasher(19456, 1, new SecureRandom()).hash("secret words")));
        assertTrue(hasher.needsRehash("$argon2id$v=19$m=194560,t=2,p=1$AAAA$AAAA"), "not a prefix match on m");
    }

    @Test
    void malformedStoredHashesNeverVerify() {
        assertFalse(hasher.verify("x", "plain-text"));
        assertFalse(hasher.verify("x", "$bcrypt$v=19$m=1,t=1,p=1$AAAA$AAAA"));
        assertFalse(hasher.verifyDecoy("anything"));
    }
}
