package dev.parley.relay.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void defaultsWhenNothingIsSet(@TempDir Path dir) {
        RelayConfig config = loader.load(List.of("--data", dir.toString()), Map.of());
        assertEquals(7400, config.port());
        assertEquals("0.0.0.0", config.bind());
        assertEquals(Duration.ofMinutes(15), config.accessTokenTtl());
        assertEquals(60, config.searchesPerMinute());
        assertEquals(RelayConfig.SqliteSync.FULL, config.sqliteSynchronous());
        assertEquals(dir.toAbsolutePath().resolve("parley.db"), config.databaseFile());
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("relay.properties"), "port=7001\nname=From file\nws-burst=9\n");
        RelayConfig config = loader.load(List.of("--data", dir.toString(), "--port=7003"),
                Map.of("PARLEY_PORT", "7002", "PARLEY_NAME", "From env", "HOME", "/ignored"));
        assertEquals(7003, config.port());
        assertEquals("From env", config.name());
        assertEquals(9, config.wsBurst());
    }

    @Test
    void lanDiscoveryIsOnByDefaultAndCanBeTurnedOff(@TempDir Path dir) {
        assertTrue(loader.load(List.of("--data", dir.toString()), Map.of()).discovery());
        assertEquals(false, loader.load(List.of("--data", dir.toString()), Map.of("PARLEY_DISCOVERY", "false"))
                .discovery());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> loader.load(List.of("--data", dir.toString(), "--discovery", "maybe"), Map.of()));
        assertTrue(bad.getMessage().contains("true or false"), bad.getMessage());
    }

    @Test
    void anExplicitConfigFileMustExist(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load(List.of("--config", dir.resolve("missing.properties").toString()), Map.of()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedWithTheReason(@TempDir Path dir) throws IOException {
        ConfigException flag = assertThrows(ConfigException.class,
                () -> loader.load(List.of("--prot", "1"), Map.of()));
        assertTrue(flag.getMessage().contains("--prot"), flag.getMessage());

        Files.writeString(dir.resolve("relay.properties"), "idle-timeout=5\n");
        ConfigException file = assertThrows(ConfigException.class,
                () -> loader.load(List.of("--data", dir.toString()), Map.of()));
        assertTrue(file.getMessage().contains("idle-timeout"), file.getMessage());

        ConfigException range = assertThrows(ConfigException.class,
                () -> loader.load(List.of("--data", dir.resolve("other").toString(), "--port", "70000"), Map.of()));
        assertTrue(range.getMessage().contains("between 0 and 65535"), range.getMessage());

        ConfigException number = assertThrows(ConfigException.class,
                () -> loader.load(List.of("--port", "seven"), Map.of()));
        assertTrue(number.getMessage().contains("whole number"), number.getMessage());

        ConfigException ping = assertThrows(ConfigException.class, () -> loader.load(List.of("--data",
                dir.resolve("other").toString(), "--ping-interval-seconds", "30", "--idle-timeout-seconds", "30"),
                Map.of()));
        assertTrue(ping.getMessage().contains("less than idle-timeout-seconds"), ping.getMessage());

        assertThrows(ConfigException.class, () -> loader.load(List.of("--port"), Map.of()));
        assertThrows(ConfigException.class, () -> loader.load(List.of("relay"), Map.of()));
    }
}
