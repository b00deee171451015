package dev.parley.desktop.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class LogFileTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheLastTwoRunsLogs() throws Exception {
        for (String run : new String[] {"one", "two", "three"}) {
            LogFile.rotate(dir);
            Files.writeString(dir.resolve("parley.log"), run);
        }
        LogFile.rotate(dir);
        assertFalse(Files.exists(dir.resolve("parley.log")));
        assertEquals("three", Files.readString(dir.resolve("parley.1.log")));
        assertEquals("two", Files.readString(dir.resolve("parley.2.log")));
        assertFalse(Files.exists(dir.resolve("parley.3.log")));
    }

    @Test
    void theConsoleStaysUnlessFileIsAskedFor() {
        assertNull(LogFile.configure("console", dir));
        assertFalse(Files.exists(dir.resolve("parley.log")));
    }
}
