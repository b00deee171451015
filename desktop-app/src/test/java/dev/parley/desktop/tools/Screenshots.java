package dev.parley.desktop.tools;

import dev.parley.desktop.AppOptions;
import dev.parley.desktop.Parley;
import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.net.SavedLogin;
import dev.parley.desktop.settings.AppDirs;
import dev.parley.desktop.settings.Settings;
import dev.parley.desktop.settings.TokenStore;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.PresenceStatus;
import dev.parley.protocol.api.AuthResponse;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * Makes the README's screenshots: a real relay with a few users and conversations, then the real app (on a real
 * display: run under Xvfb, see scripts/screenshots.sh) in light/dark and English/German, the sign-in screen and the
 * main window with a conversation, and the main window just after a damaged cache was rebuilt. Each PNG is a
 * snapshot of the app's window.
 */
public final class Screenshots {
    private static final String PASSWORD = "correct horse battery";

    private Screenshots() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots");
        Files.createDirectories(out);
        try (RelayFixture relay = RelayFixture.start(true)) {
            AuthResponse aliceAuth = relay.register("alice", "Alice Martin");
            ChatClient alice = relay.client(aliceAuth, "alice-seed");
            ChatClient bob = relay.client("bob", "Bob Keller");
            ChatClient carol = relay.client("carol", "Carol Diaz");
            relay.register("dave", "Dave Okafor");
            seed(relay, alice, bob, carol);
            alice.close();

            Platform.startup(() -> { });
            Platform.setImplicitExit(false);
            for (Settings.Theme theme : Settings.Theme.values()) {
                for (Locale locale : List.of(Locale.ENGLISH, Locale.GERMAN)) {
                    String suffix = theme.name().toLowerCase(Locale.ROOT) + "-" + locale.getLanguage();
                    login(relay, theme, locale, out.resolve("login-" + suffix + ".png"));
                    main(relay, theme, locale, out.resolve("main-" + suffix + ".png"), bob);
                }
            }
            details(relay, Settings.Theme.LIGHT, Locale.ENGLISH, out.resolve("details-light-en.png"));
            details(relay, Settings.Theme.DARK, Locale.GERMAN, out.resolve("details-dark-de.png"));
            damagedCache(relay, out.resolve("main-cache-rebuilt-light-en.png"));
            changePassword(relay, out.resolve("change-password-light-en.png"));
            search(relay, out.resolve("search-light-en.png"));
            Platform.exit();
        }
        System.out.println("screenshots written to " + out.toAbsolutePath());
        System.exit(0);
    }

    private static void seed(RelayFixture relay, ChatClient alice, ChatClient bob, ChatClient carol) {
        ConversationSummary dm = alice.openDm(bob.myId());
        await().atMost(Duration.ofSeconds(10)).until(() -> bob.conversation(dm.id()).isPresent());
        say(bob, dm, "Morning! Did you get a chance to look at the release notes?");
        say(alice, dm, "Yes, just finished. Two small fixes, otherwise good to go.");
        say(alice, dm, "I left comments on the upgrade section.");
        say(bob, dm, "Great, thanks. I'll fold them in before lunch.");
        say(bob, dm, "Can we ship at 3pm?\nQA signed off on the Windows build this morning.");
        say(alice, dm, "3pm works for me!");

        ConversationSummary design = carol.create(ConversationKind.GROUP, "Design review", "Weekly, Thursdays",
                List.of(alice.myId(), bob.myId()));
        say(carol, design, "New mockups for the settings page are in the shared folder.");
        say(bob, design, "Looks clean. Is dark mode in there too?");
        say(carol, design, "Both themes, and the German strings.");

        ConversationSummary general = alice.create(ConversationKind.CHANNEL, "general", "Office-wide news",
                List.of());
        bob.join(general.id());
        carol.join(general.id());
        say(alice, general, "Welcome to Parley, everyone!");
        say(carol, general, "The coffee machine on the 2nd floor is fixed.");
        say(bob, general, "Reminder: fire drill on Friday at 10.");
        carol.setStatus(PresenceStatus.AWAY);
        bob.setActiveConversation(dm.id()); // bob has read everything: alice's messages show "read"
    }

    private static void say(ChatClient client, ConversationSummary conv, String text) {
        client.send(conv.id(), text);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.outbox(conv.id()).isEmpty());
    }

    private static AppOptions profile(RelayFixture relay, String name, Settings.Theme theme, Locale locale)
            throws IOException {
        Path dir = relay.dir().resolve("profiles").resolve(name);
        AppDirs dirs = AppDirs.forProfile(dir);
        Settings settings = Settings.load(dirs.config());
        settings.theme(theme);
        settings.language(locale);
        return new AppOptions(dirs, relay.url(), true, Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    private static void login(RelayFixture relay, Settings.Theme theme, Locale locale, Path file) throws Exception {
        AppOptions options = profile(relay, "login-" + theme + locale, theme, locale);
        Stage stage = fx(() -> {
            Stage s = new Stage();
            new Parley(s, new AppOptions(options.dirs(), null, true, options.backoffMin(), options.backoffMax()),
                    Clock.systemUTC()).start();
            return s;
        });
        // Wait for LAN discovery to list the relay (it announces itself); fall back to the bare screen.
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> fx(() -> {
                Node list = stage.getScene().lookup("#discovered");
                return list instanceof ListView<?> lv && !lv.getItems().isEmpty();
            }));
        } catch (RuntimeException e) {
            System.err.println("no relay discovered for the screenshot: " + e.getMessage());
        }
        fx(() -> {
            stage.getScene().getRoot().requestFocus();
            return null;
        });
        settle();
        snapshot(stage, file);
        fx(() -> {
            stage.close();
            return null;
        });
    }

    private static void main(RelayFixture relay, Settings.Theme theme, Locale locale, Path file, ChatClient bob)
            throws Exception {
        AppOptions options = profile(relay, "main-" + theme + locale, theme, locale);
        signInAlice(relay, options);
        Parley[] app = new Parley[1];
        Stage stage = startSignedIn(options, app);
        long general = bob.conversations().stream().filter(c -> c.kind() == ConversationKind.CHANNEL).findFirst()
                .orElseThrow().id();
        fx(() -> {
            app[0].client().orElseThrow().setMuted(general, true); // shows the muted mark and grey badge
            return null;
        });
        select(stage, "DM");
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> {
            Node messages = stage.getScene().lookup("#messages");
            return messages instanceof ListView<?> lv && lv.getItems().size() >= 6;
        }));
        ConversationSummary dm = bob.conversations().stream().filter(c -> c.kind() == ConversationKind.DM)
                .findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> {
            bob.typing(dm.id()); // throttled to one frame per 3 s by the client
            Node typing = stage.getScene().lookup("#typing");
            return typing instanceof javafx.scene.control.Label l && !l.getText().isEmpty();
        }));
        fx(() -> {
            ((javafx.scene.control.TextArea) stage.getScene().lookup("#composer")).setText("Perfect, see you then");
            return null;
        });
        snapshotAndQuit(stage, app[0], file);
    }

    /** The details of #general as its owner sees them (Ctrl+I), with a member selected. */
    private static void details(RelayFixture relay, Settings.Theme theme, Locale locale, Path file) throws Exception {
        AppOptions options = profile(relay, "details-" + theme + locale, theme, locale);
        signInAlice(relay, options);
        Parley[] app = new Parley[1];
        Stage stage = startSignedIn(options, app);
        select(stage, "general");
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> stage.getScene().lookup("#detailsButton")
                .isVisible()));
        // The dialog waits for its user on the FX thread: open it from a later pulse, not from inside fx().
        Platform.runLater(() -> ((javafx.scene.control.Button) stage.getScene().lookup("#detailsButton")).fire());
        Stage[] dialog = new Stage[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> {
            for (javafx.stage.Window w : javafx.stage.Window.getWindows()) {
                if (w instanceof Stage s && s != stage && s.getScene() != null
                        && s.getScene().lookup("#memberList") instanceof ListView<?> lv && lv.getItems().size() == 3) {
                    dialog[0] = s;
                    lv.getSelectionModel().select(1);
                    return true;
                }
            }
            return false;
        }));
        settle();
        snapshot(dialog[0], file);
        fx(() -> {
            dialog[0].close();
            return null;
        });
        quit(stage, app[0]);
    }

    /** The DM with Bob, found in: Ctrl+F, "3pm", two results. */
    private static void search(RelayFixture relay, Path file) throws Exception {
        AppOptions options = profile(relay, "search", Settings.Theme.LIGHT, Locale.ENGLISH);
        signInAlice(relay, options);
        Parley[] app = new Parley[1];
        Stage stage = startSignedIn(options, app);
        select(stage, "DM");
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> {
            Node messages = stage.getScene().lookup("#messages");
            return messages instanceof ListView<?> lv && lv.getItems().size() >= 6;
        }));
        fx(() -> {
            stage.getScene().lookup("#searchBox").setVisible(true);
            javafx.scene.control.TextField field =
                    (javafx.scene.control.TextField) stage.getScene().lookup("#searchField");
            field.setText("3pm");
            field.fireEvent(new javafx.event.ActionEvent());
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() ->
                ((ListView<?>) stage.getScene().lookup("#searchResults")).getItems().size() == 2));
        snapshotAndQuit(stage, app[0], file);
    }

    /** Settings > Change password, filled in, the repeat not matching yet. */
    private static void changePassword(RelayFixture relay, Path file) throws Exception {
        AppOptions options = profile(relay, "change-password", Settings.Theme.LIGHT, Locale.ENGLISH);
        signInAlice(relay, options);
        Parley[] app = new Parley[1];
        Stage stage = startSignedIn(options, app);
        // Each dialog waits for its user on the FX thread: open it from a later pulse, not from inside fx().
        Platform.runLater(() -> ((javafx.scene.control.Button) stage.getScene().lookup("#settings")).fire());
        Stage settings = awaitWindowWith(stage, "#changePassword");
        Platform.runLater(() -> ((javafx.scene.control.Button) settings.getScene().lookup("#changePassword")).fire());
        Stage form = awaitWindowWith(stage, "#currentPassword");
        fx(() -> {
            ((javafx.scene.control.TextInputControl) form.getScene().lookup("#currentPassword")).setText("secret one");
            ((javafx.scene.control.TextInputControl) form.getScene().lookup("#newPassword")).setText("new secret 2");
            ((javafx.scene.control.TextInputControl) form.getScene().lookup("#repeatPassword")).setText("new secret");
            return null;
        });
        settle();
        snapshot(form, file);
        fx(() -> {
            form.close();
            settings.close();
            return null;
        });
        quit(stage, app[0]);
    }

    private static Stage awaitWindowWith(Stage main, String selector) {
        Stage[] found = new Stage[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> fx(() -> {
            for (javafx.stage.Window w : javafx.stage.Window.getWindows()) {
                if (w instanceof Stage s && s != main && s.isShowing() && s.getScene() != null
                        && s.getScene().lookup(selector) != null) {
                    found[0] = s;
                    return true;
                }
            }
            return false;
        }));
        return found[0];
    }

    /** The main window right after a damaged cache was set aside and rebuilt: the toast that says so. */
    private static void damagedCache(RelayFixture relay, Path file) throws Exception {
        AppOptions options = profile(relay, "damaged-cache", Settings.Theme.LIGHT, Locale.ENGLISH);
        AuthResponse auth = signInAlice(relay, options);
        java.net.URI http = dev.parley.desktop.net.RelayAddress.parse(relay.url()).http();
        Path cache = options.dirs().data().resolve("accounts")
                .resolve(http.getHost() + "_" + http.getPort() + "-" + auth.user().id()).resolve("cache.db");
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, "not a database: the disk failed while this was written");
        Parley[] app = new Parley[1];
        Stage stage = startSignedIn(options, app);
        snapshotAndQuit(stage, app[0], file);
    }

    /** Alice's sign-in saved in the profile, as if she had signed in there before. */
    private static AuthResponse signInAlice(RelayFixture relay, AppOptions options) {
        AuthResponse auth = relay.api().login("alice", PASSWORD, new DeviceInfo(null, "Screenshot", "Linux", "0"));
        new TokenStore(options.dirs().config(), relay.json()).save(new SavedLogin(relay.url(), auth.user().id(),
                "alice", "Alice Martin", auth.sessionId(), auth.refreshToken()));
        return auth;
    }

    /** Starts the app on a signed-in profile and waits for its three conversations. */
    private static Stage startSignedIn(AppOptions options, Parley[] app) throws Exception {
        Stage stage = fx(() -> {
            Stage s = new Stage();
            app[0] = new Parley(s, options, Clock.systemUTC());
            app[0].start();
            return s;
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> fx(() -> {
            Node list = stage.getScene().lookup("#conversations");
            return list instanceof ListView<?> lv && lv.getItems().size() == 3;
        }));
        return stage;
    }

    private static void snapshotAndQuit(Stage stage, Parley app, Path file) throws Exception {
        settle();
        snapshot(stage, file);
        quit(stage, app);
    }

    /** Opens the conversation whose list entry mentions {@code text}. */
    private static void select(Stage stage, String text) {
        fx(() -> {
            @SuppressWarnings("unchecked")
            ListView<Object> list = (ListView<Object>) stage.getScene().lookup("#conversations");
            for (int i = 0; i < list.getItems().size(); i++) {
                if (list.getItems().get(i).toString().contains(text)) {
                    list.getSelectionModel().select(i);
                }
            }
            return null;
        });
    }

    private static void quit(Stage stage, Parley app) {
        fx(() -> {
            app.shutdown();
            stage.close();
            return null;
        });
    }

    /** Lets layout, CSS and pending pulses finish. */
    private static void settle() throws Exception {
        for (int i = 0; i < 10; i++) {
            fx(() -> null);
            TimeUnit.MILLISECONDS.sleep(50); // a tool, not a test: frames need wall time to render
        }
    }

    private static void snapshot(Stage stage, Path file) throws Exception {
        WritableImage image = fx(() -> stage.getScene().snapshot(null));
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        ImageIO.write(out, "png", file.toFile());
        System.out.println("wrote " + file);
    }

    private static <T> T fx(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
