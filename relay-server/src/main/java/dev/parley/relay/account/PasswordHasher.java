package dev.parley.relay.account;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}), so the cost
 * can be raised later and old hashes still verify with the parameters they were made with.
 */
public final class PasswordHasher {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final SecureRandom random;
    /** Verified against when a username does not exist, so the answer takes as long as for a wrong password. */
    private final String decoy;

    public PasswordHasher(int memoryKib, int iterations, SecureRandom random) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.random = random;
        this.decoy = hash("decoy password for timing");
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKib, iterations, 1, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(hash);
    }

    public boolean verify(String password, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 6 || !parts[1].equals("argon2id")) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String param : parts[3].split(",")) {
            String[] kv = param.split("=");
            switch (kv[0]) {
                case "m" -> m = Integer.parseInt(kv[1]);
                case "t" -> t = Integer.parseInt(kv[1]);
                case "p" -> p = Integer.parseInt(kv[1]);
                default -> {
                    return false;
                }
            }
        }
        byte[] salt = B64D.decode(parts[4]);
        byte[] expected = B64D.decode(parts[5]);
        byte[] actual = derive(password, salt, m, t, p, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * Whether {@code encoded} was made with other settings than this hasher's: after the operator raises the cost, each
     * account gets the new one at its next sign-in (the only moment the password is known). Until then its sign-ins
     * take the old time, which tells a guesser the account exists; registration says as much anyway.
     */
    public boolean needsRehash(String encoded) {
        return !encoded.startsWith("$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$");
    }

    /** Spends the same effort as a real verification and always fails. */
    public boolean verifyDecoy(String password) {
        verify(password, decoy);
        return false;
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism,
                                 int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.toCharArray(), out);
        return out;
    }
}
