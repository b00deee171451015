package dev.parley.desktop.doctor;

import dev.parley.protocol.ProtocolJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoctorAccountsTest {
    @TempDir
    Path dir;

    private DoctorAccounts accounts(Path file) {
        return new DoctorAccounts(file, new ProtocolJson().mapper());
    }

    @Test
    void keepsEachRelaysAccountsApartInAFileOnlyItsOwnerCanRead() throws IOException {
        Path file = dir.resolve("config").resolve("doctor-accounts.json");
        DoctorAccounts accounts = accounts(file);
        accounts.put("http://office:7400", "a", new DoctorAccounts.Credentials("doctor-1-a", "pw-a"));
        accounts.put("http://office:7400", "b", new DoctorAccounts.Credentials("doctor-1-b", "pw-b"));
        accounts.put("http://lab:7400", "a", new DoctorAccounts.Credentials("doctor-2-a", "pw-c"));

        DoctorAccounts reread = accounts(file);
        assertEquals(Optional.of(new DoctorAccounts.Credentials("doctor-1-b", "pw-b")),
                reread.get("http://office:7400", "b"));
        assertEquals(Optional.of(new DoctorAccounts.Credentials("doctor-2-a", "pw-c")), reread.get("http://lab:7400", "a"));
        assertEquals(Optional.empty(), reread.get("http://lab:7400", "b"));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        try (var left = Files.list(file.getParent())) {
            assertEquals(1, left.count(), "no temporary file left behind");
        }
    }

    @Test
    void aDamagedFileCountsAsNoAccountsAndIsReplacedOnTheNextWrite() throws IOException {
        Path file = dir.resolve("doctor-accounts.json");
        Files.writeString(file, "{ not json");
        DoctorAccounts accounts = accounts(file);

        assertEquals(Optional.empty(), accounts.get("http://office:7400", "a"));
        accounts.put("http://office:7400", "a", new DoctorAccounts.Credentials("doctor-3-a", "pw"));
        assertTrue(Files.readString(file).contains("doctor-3-a"));
        assertEquals("doctor-3-a", accounts.get("http://office:7400", "a").orElseThrow().username());
    }

    @Test
    void oneRunAtATimeHoldsTheAccounts() {
        Path file = dir.resolve("config").resolve("doctor-accounts.json");
        DoctorAccounts first = accounts(file);
        DoctorAccounts second = accounts(file);

        assertTrue(first.lock());
        assertFalse(second.lock(), "a second run while the first holds them");
        first.unlock();
        assertTrue(second.lock(), "free again once the first run ended");
        second.unlock();
    }
}
