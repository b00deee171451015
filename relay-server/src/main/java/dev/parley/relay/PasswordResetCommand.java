package dev.parley.relay;

import dev.parley.protocol.ErrorCode;
import dev.parley.relay.account.PasswordHasher;
import dev.parley.relay.account.PasswordReset;
import dev.parley.relay.config.ConfigException;
import dev.parley.relay.config.ConfigLoader;
import dev.parley.relay.config.RelayConfig;
import dev.parley.relay.storage.sqlite.SqliteAccountStore;
import dev.parley.relay.storage.sqlite.SqliteDatabase;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code parley relay reset-password USERNAME [--data DIR | --config FILE ...]}: run on the relay's machine, with the
 * same data directory options as the relay, while it runs or not (SQLite lets a second process write between the
 * relay's commits). Prints a new password for the user and signs all their devices out.
 */
final class PasswordResetCommand {
    static final String NAME = "reset-password";

    private PasswordResetCommand() {
    }

    /** Returns the exit code: 0 done, 1 no such user or no relay data, 2 a usage or configuration error. */
    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        // The database's start-up chatter (migrations checked, pool started) is not what the admin asked for.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        if (args.isEmpty() || args.getFirst().startsWith("-")) {
            err.println("usage: parley relay " + NAME + " USERNAME [--data DIR] [--config FILE]");
            return 2;
        }
        String username = args.getFirst();
        RelayConfig config;
        try {
            config = new ConfigLoader().load(args.subList(1, args.size()), env);
        } catch (ConfigException e) {
            err.println("parley relay " + NAME + ": " + e.getMessage());
            return 2;
        }
        Path database = config.databaseFile();
        if (!Files.isRegularFile(database)) {
            // Opening it would create an empty relay database in the wrong place.
            err.println("parley relay " + NAME + ": no relay data at " + database
                    + "; give the relay's own --data DIR or --config FILE");
            return 1;
        }
        String owner = ownerOf(database);
        String me = System.getProperty("user.name");
        if (owner != null && !owner.equals(me)) {
            // Files SQLite creates now (its -wal and -shm) would belong to this user, and the relay could not open them.
            err.println("parley relay " + NAME + ": " + database + " belongs to " + owner + ", not " + me
                    + "; run this as that user (installed: sudo -u " + owner + " parley-relay " + NAME + " "
                    + username + " --config /etc/parley/relay.properties)");
            return 2;
        }
        SecureRandom random = new SecureRandom();
        try (SqliteDatabase db = SqliteDatabase.openWithoutMigrating(database, config.sqliteSynchronous())) {
            PasswordReset reset = new PasswordReset(new SqliteAccountStore(db),
                    new PasswordHasher(config.argon2MemoryKib(), config.argon2Iterations(), random), random,
                    Clock.systemUTC());
            PasswordReset.Done done = reset.reset(username);
            out.println("New password for " + done.account().username() + ": " + done.password());
            out.println(done.devicesSignedOut() + " signed-in device(s) signed out. Hand the password over in"
                    + " person; they change it in Settings > Change password after signing in.");
            return 0;
        } catch (RelayException e) {
            err.println("parley relay " + NAME + ": " + (e.code() == ErrorCode.NOT_FOUND
                    ? "no user named '" + username + "' on this relay"
                    : "cannot reset the password in " + database + ": " + e.getMessage()));
            return 1;
        } catch (RuntimeException e) {
            err.println("parley relay " + NAME + ": cannot reset the password in " + database + ": "
                    + e.getMessage());
            return 1;
        }
    }

    private static String ownerOf(Path file) {
        try {
            return Files.getOwner(file).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
