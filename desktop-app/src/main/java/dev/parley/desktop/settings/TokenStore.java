package dev.parley.desktop.settings;

import dev.parley.desktop.net.SavedLogin;
import dev.parley.protocol.ProtocolJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Keeps the sign-in (relay, user, refresh token) in {@code session.json} in the config directory, readable only by
 * the user: on POSIX systems the file is created with mode 600 before the token is written, so it is never readable
 * by others even for a moment. (On Windows the user's profile directory is already private to the user.)
 */
public final class TokenStore {
    private final Path file;
    private final ProtocolJson json;

    public TokenStore(Path configDir, ProtocolJson json) {
        this.file = configDir.resolve("session.json");
        this.json = json;
    }

    public Path file() {
        return file;
    }

    public synchronized Optional<SavedLogin> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.mapper().readValue(Files.readString(file), SavedLogin.class));
        } catch (IOException | RuntimeException e) {
            // A damaged file only means signing in again.
            return Optional.empty();
        }
    }

    public synchronized void save(SavedLogin login) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("session.json.tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, json.write(login));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the sign-in to " + file, e);
        }
    }

    /** Deletes the saved sign-in only when it is still {@code sessionId}'s (not a newer sign-in's). */
    public synchronized void clearSession(String sessionId) {
        if (load().map(login -> login.sessionId().equals(sessionId)).orElse(false)) {
            clear();
        }
    }

    public synchronized void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }
}
