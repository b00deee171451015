package dev.parley.relay.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Linux kernel settings under /proc/sys, for tests that must respect them. */
public final class Sysctl {
    private Sysctl() {
    }

    /**
     * The first line of {@code /proc/sys/<name>} ("net/core/somaxconn"). Read as a stream: these files report a size
     * of 0, and {@code Files.readString} then returns only their first byte ("4" for 4096).
     */
    public static String read(String name) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys", name))) {
            String line = reader.readLine();
            if (line == null) {
                throw new IOException("/proc/sys/" + name + " is empty");
            }
            return line.strip();
        }
    }
}
