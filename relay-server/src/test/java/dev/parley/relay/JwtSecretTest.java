package dev.parley.relay;

import dev.parley.relay.config.ConfigLoader;
import dev.parley.relay.config.RelayConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated signing key: private from its first byte, kept across starts, and refused with advice when bad. */
class JwtSecretTest {
    @TempDir
    Path dataDir;

    private RelayConfig config() {
        return new ConfigLoader().load(List.of("--data", dataDir.toString()), Map.of());
    }

    private Path keyFile() {
        return dataDir.resolve("jwt-secret");
    }

    @Test
    void aNewKeyIsOwnerOnlyAndTheSameOnTheNextStart() throws IOException {
        byte[] first = JwtSecret.load(config(), new SecureRandom());

        assertEquals(32, first.length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile())));
        assertArrayEquals(first, JwtSecret.load(config(), new SecureRandom()));
    }

    @Test
    void aKeyFileReadableByOthersIsNarrowedToItsOwner() throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(keyFile(), Base64.getEncoder().encodeToString(key));
        Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-r--r--"));

        assertArrayEquals(key, JwtSecret.load(config(), new SecureRandom()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile())));
    }

    @Test
    void anEmptyKeyFileLeftByAnInterruptedFirstStartIsReplaced() throws IOException {
        Files.createFile(keyFile());

        byte[] key = JwtSecret.load(config(), new SecureRandom());

        assertEquals(32, key.length);
        assertArrayEquals(key, Base64.getDecoder().decode(Files.readString(keyFile())));
    }

    @Test
    void aShortOrGarbledKeyIsRefusedWithWhatToDo() throws IOException {
        Files.writeString(keyFile(), Base64.getEncoder().encodeToString(new byte[8]));
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> JwtSecret.load(config(), new SecureRandom()));
        assertTrue(tooShort.getMessage().contains("8-byte key; at least 32"), tooShort.getMessage());
        assertTrue(tooShort.getMessage().contains("Delete the file"), tooShort.getMessage());

        Files.writeString(keyFile(), "not base64 at all!");
        IllegalArgumentException garbled = assertThrows(IllegalArgumentException.class,
                () -> JwtSecret.load(config(), new SecureRandom()));
        assertTrue(garbled.getMessage().contains("does not hold a base64 key"), garbled.getMessage());
    }
}
