package dev.parley.relay;

import dev.parley.relay.config.RelayConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The key that signs access tokens: the configured one, else a random one generated on first start and kept in the
 * data directory (readable by the relay's user only), so tokens survive restarts without any setup.
 */
final class JwtSecret {
    private JwtSecret() {
    }

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    static byte[] load(RelayConfig config, SecureRandom random) {
        if (config.jwtSecret() != null && !config.jwtSecret().isBlank()) {
            byte[] secret = config.jwtSecret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalArgumentException("jwt-secret must be at least 32 bytes long");
            }
            return secret;
        }
        Path file = config.dataDir().resolve("jwt-secret");
        try {
            if (Files.exists(file) && Files.size(file) == 0) {
                // A start that stopped between creating and writing the file: no token was ever signed with it.
                Files.delete(file);
            }
            if (Files.exists(file)) {
                ownerOnly(file);
                byte[] secret;
                try {
                    secret = Base64.getDecoder().decode(Files.readString(file).strip());
                } catch (IllegalArgumentException notBase64) {
                    throw new IllegalArgumentException(file + " does not hold a base64 key (" + notBase64.getMessage()
                            + "). Delete the file to make a new one (every device then signs in again).");
                }
                if (secret.length < 32) {
                    throw new IllegalArgumentException(file + " holds a " + secret.length + "-byte key; at least 32 "
                            + "are needed. Delete the file to make a new one (every device then signs in again).");
                }
                return secret;
            }
            Files.createDirectories(config.dataDir());
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            // Created private, not narrowed after writing: no moment (or crash) leaves the key readable by others.
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the data directory's own ACL protects the file.
                Files.createFile(file);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(secret), StandardOpenOption.WRITE);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** A key file made by an older relay, or copied by hand, may be readable by others: narrow it to the owner. */
    private static void ownerOnly(Path file) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the data directory's own ACL protects the file.
        }
    }
}
