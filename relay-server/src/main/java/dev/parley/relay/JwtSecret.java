package dev.parley.relay;

import dev.parley.relay.config.RelayConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key that signs access tokens: the configured one, else a random one generated on first start and kept in the
 * data directory (readable by the relay's user only), so tokens survive restarts without any setup.
 */
final class JwtSecret {
    private JwtSecret() {
    }

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
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file).strip());
            }
            Files.createDirectories(config.dataDir());
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            Files.writeString(file, Base64.getEncoder().encodeToString(secret), StandardOpenOption.CREATE_NEW);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the data directory's own ACL protects the file.
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
