package dev.parley.relay.account;

import dev.parley.relay.RelayException;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * An admin's way back in for a user who forgot their password: a new random password, and every device of the user
 * signed out. There is no "forgot password" mail on a LAN relay; whoever runs the relay hands the new password over.
 */
public final class PasswordReset {
    /** No 0/o, 1/l/i: read aloud or copied from a terminal without mistakes. */
    private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final int GROUPS = 4;
    private static final int GROUP_LENGTH = 4;

    private final AccountStore store;
    private final PasswordHasher hasher;
    private final SecureRandom random;
    private final Clock clock;

    public PasswordReset(AccountStore store, PasswordHasher hasher, SecureRandom random, Clock clock) {
        this.store = store;
        this.hasher = hasher;
        this.random = random;
        this.clock = clock;
    }

    public record Done(Account account, String password, int devicesSignedOut) {
        /** Never the password or the account's hash, should it end up in a log. */
        @Override
        public String toString() {
            return "Done[user=" + account.username() + ", devicesSignedOut=" + devicesSignedOut + "]";
        }
    }

    /** Resets the password of {@code username} (any letter case); {@code not_found} when there is no such user. */
    public Done reset(String username) {
        Account account = store.findByUsername(username == null ? "" : username.strip())
                .orElseThrow(() -> RelayException.notFound("user " + username));
        String password = newPassword(account.username());
        List<String> signedOut = store.setPasswordHash(account.id(), null, hasher.hash(password), null,
                clock.millis());
        return new Done(account, password, signedOut.size());
    }

    /** About 79 bits in four groups of four; drawn again in the rare case the policy refuses it. */
    private String newPassword(String username) {
        while (true) {
            StringBuilder password = new StringBuilder();
            for (int group = 0; group < GROUPS; group++) {
                if (group > 0) {
                    password.append('-');
                }
                for (int i = 0; i < GROUP_LENGTH; i++) {
                    password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            try {
                CredentialPolicy.password(password.toString(), username);
                return password.toString();
            } catch (RelayException refused) {
                // Contains the username, or too few distinct characters: draw again.
            }
        }
    }
}
