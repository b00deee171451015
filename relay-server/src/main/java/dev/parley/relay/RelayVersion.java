package dev.parley.relay;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven stamped into the build, so the relay and the installers always agree. */
public final class RelayVersion {
    private RelayVersion() {
    }

    public static String current() {
        try (InputStream in = RelayVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
