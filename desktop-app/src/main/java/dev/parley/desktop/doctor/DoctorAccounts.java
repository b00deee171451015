package dev.parley.desktop.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The doctor's own test accounts, two per relay, kept between runs so that checking a relay again signs in to them
 * instead of registering two more: an office relay's people directory should not fill up with doctors. One JSON
 * file, readable only by its owner (it holds the accounts' generated passwords); a file that cannot be read is
 * treated as empty, so the worst case is the old behaviour of registering new accounts.
 */
final class DoctorAccounts {
    record Credentials(String username, String password) {
    }

    private final Path file;
    private final ObjectMapper mapper;
    private FileChannel lockChannel;
    private FileLock lock;

    DoctorAccounts(Path file, ObjectMapper mapper) {
        this.file = file;
        this.mapper = mapper;
    }

    /**
     * Takes the accounts for this run. Two runs at once would sign in to the same two accounts and call each other's
     * devices; the second gets false and should use accounts it does not save.
     */
    boolean lock() {
        try {
            Files.createDirectories(file.getParent());
            lockChannel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        return lock != null;
    }

    void unlock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // released by the operating system when the process ends anyway
        }
        lock = null;
        lockChannel = null;
    }

    Optional<Credentials> get(String relay, String role) {
        JsonNode account = read().path(relay).path(role);
        if (!account.hasNonNull("username") || !account.hasNonNull("password")) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(account.get("username").asText(), account.get("password").asText()));
    }

    void put(String relay, String role, Credentials credentials) throws IOException {
        ObjectNode all = read();
        ObjectNode forRelay = all.has(relay) && all.get(relay).isObject()
                ? (ObjectNode) all.get(relay) : all.putObject(relay);
        forRelay.putObject(role).put("username", credentials.username()).put("password", credentials.password());
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), "doctor-accounts", ".tmp");
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            }
            mapper.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), all);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private ObjectNode read() {
        try {
            if (Files.isRegularFile(file) && mapper.readTree(file.toFile()) instanceof ObjectNode all) {
                return all;
            }
        } catch (IOException unreadable) {
            // a damaged file: start again with new accounts rather than refuse to check the relay
        }
        return mapper.createObjectNode();
    }
}
