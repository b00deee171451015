package dev.parley.desktop;

import dev.parley.desktop.about.AboutDialog;
import dev.parley.desktop.cache.CacheException;
import dev.parley.desktop.cache.LocalCache;
import dev.parley.desktop.chat.ChatViewModel;
import dev.parley.desktop.chat.SearchViewModel;
import dev.parley.desktop.chat.ConversationActions;
import dev.parley.desktop.chat.ConversationDialogs;
import dev.parley.desktop.chat.ConversationListViewModel;
import dev.parley.desktop.discovery.MdnsRelayDiscovery;
import dev.parley.desktop.discovery.RelayDiscovery;
import dev.parley.desktop.login.LoginView;
import dev.parley.desktop.login.LoginViewModel;
import dev.parley.desktop.net.AuthSession;
import dev.parley.desktop.call.CallFeature;
import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.net.RelayAddress;
import dev.parley.desktop.net.RelayApi;
import dev.parley.desktop.net.SavedLogin;
import dev.parley.desktop.notify.Notifier;
import dev.parley.desktop.notify.Notifiers;
import dev.parley.desktop.notify.ToastNotifier;
import dev.parley.desktop.settings.Settings;
import dev.parley.desktop.settings.SettingsDialog;
import dev.parley.desktop.settings.SettingsViewModel;
import dev.parley.desktop.settings.TokenStore;
import dev.parley.desktop.shell.MainView;
import dev.parley.desktop.shell.MainViewModel;
import dev.parley.desktop.shell.Theme;
import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ProtocolJson;
import javafx.application.Platform;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The composition root of the desktop app: builds every part by constructor and switches between the sign-in
 * screen and the main window. With a saved sign-in the main window opens straight from the local cache; the
 * connection catches up in the background.
 */
public final class Parley {
    private static final Logger LOG = LoggerFactory.getLogger(Parley.class);

    private final Stage stage;
    private final AppOptions options;
    private final Clock clock;
    private final ProtocolJson json = new ProtocolJson();
    private final Settings settings;
    private final TokenStore tokens;
    private final ExecutorService background = Executors.newCachedThreadPool(Thread.ofPlatform()
            .name("parley-background-", 0).daemon(true).factory());
    private final Scene scene;
    private I18n i18n;
    private Session session;
    private RelayDiscovery discovery;
    private String pendingLoginError;

    /** What is open while signed in, closed together. */
    private CallFeature calls;

    private record Session(ChatClient client, LocalCache cache, MainView view, ChatViewModel chat,
                           ConversationListViewModel list, Notifier notifier) {
    }

    public Parley(Stage stage, AppOptions options, Clock clock) {
        this.stage = stage;
        this.options = options;
        this.clock = clock;
        this.settings = Settings.load(options.dirs().config());
        this.tokens = new TokenStore(options.dirs().config(), json);
        this.i18n = new I18n(settings.language().orElse(Locale.getDefault()));
        this.scene = new Scene(new StackPane(), 1120, 740);
        Theme.style(scene);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F1), this::showAbout);
    }

    /** F1: version, relay, directories. */
    private void showAbout() {
        String relay = session == null ? null : tokens.load().map(SavedLogin::relayUrl).orElse(null);
        new AboutDialog(i18n, stage, version(), options.dirs(), relay, relay == null ? null : CompletableFuture
                .supplyAsync(() -> new RelayApi(RelayAddress.parse(relay), json).info(), background)).show();
    }

    public void start() {
        Theme.apply(settings.theme());
        stage.setScene(scene);
        stage.setMinWidth(720);
        stage.setMinHeight(480);
        Optional<SavedLogin> saved = tokens.load().filter(login -> options.relayUrl() == null
                || sameRelay(login.relayUrl(), options.relayUrl()));
        if (saved.isPresent()) {
            RelayApi api = new RelayApi(RelayAddress.parse(saved.get().relayUrl()), json);
            showMain(new AuthSession(api, saved.get(), tokens::save, clock));
        } else {
            showLogin();
        }
        stage.show();
    }

    public I18n i18n() {
        return i18n;
    }

    /** The signed-in client, for tests and diagnostics; empty on the sign-in screen. */
    public Optional<ChatClient> client() {
        return Optional.ofNullable(session).map(Session::client);
    }

    public AppOptions options() {
        return options;
    }

    private void showLogin() {
        stage.titleProperty().unbind();
        stage.setTitle(i18n.t("app.title"));
        discovery = options.discovery() ? MdnsRelayDiscovery.onThisMachine() : RelayDiscovery.none();
        LoginViewModel vm = new LoginViewModel(address -> new RelayApi(address, json), discovery, device(), i18n,
                Platform::runLater, background, signedIn -> {
                    discovery.close();
                    settings.relayUrl(signedIn.api().relay().toString());
                    showMain(AuthSession.fromResponse(signedIn.api(), signedIn.response(), tokens::save, clock));
                });
        vm.relayUrlProperty().set(options.relayUrl() != null ? options.relayUrl()
                : settings.relayUrl().orElse(""));
        if (pendingLoginError != null) {
            vm.showError(pendingLoginError); // shown once, e.g. after this device was signed out elsewhere
            pendingLoginError = null;
        }
        setRoot(new LoginView(vm, i18n).build());
        vm.startDiscovery();
        if (!vm.relayUrlProperty().get().isBlank()) {
            vm.checkRelay();
        }
    }

    private void showMain(AuthSession auth) {
        SavedLogin login = auth.login();
        LocalCache.Opened opened;
        try {
            opened = LocalCache.openOrRebuild(cacheFile(login), json, clock.millis());
        } catch (CacheException | UncheckedIOException unusable) {
            // The data directory cannot be written (read-only, full, no permission): say so instead of crashing.
            LOG.error("cannot open the local cache", unusable);
            pendingLoginError = i18n.t("error.cache", options.dirs().data(), unusable.getMessage());
            showLogin();
            return;
        }
        LocalCache cache = opened.cache();
        ChatClient client = new ChatClient(auth, cache, json, device(), options.backoff(), clock);
        ConversationListViewModel listVm = new ConversationListViewModel(client, Platform::runLater);
        ChatViewModel chatVm = new ChatViewModel(client, Platform::runLater, settings.showNotices());
        chatVm.showNoticesProperty().addListener((o, w, show) -> settings.showNotices(show));
        MainView[] view = new MainView[1];
        Notifier toast = new ToastNotifier((title, body) -> Platform.runLater(() -> {
            if (view[0] != null) {
                view[0].showToast(title, body);
            }
        }));
        Notifier notifier = Notifiers.forPlatform(System.getProperty("os.name"), System.getenv(), toast);
        LOG.info("desktop notifications via {}", notifier.name());
        MainViewModel mainVm = new MainViewModel(client, listVm, notifier, i18n, Platform::runLater, clock);
        mainVm.setOnSignedOut(() -> {
            pendingLoginError = i18n.t("banner.signedOut");
            endSession(true);
            showLogin();
        });
        ConversationActions actions = new ConversationActions(client, background);
        ConversationDialogs dialogs = new ConversationDialogs(actions, i18n, stage,
                conv -> view[0].open(conv), message -> view[0].showToast(i18n.t("app.title"), message));
        SettingsViewModel settingsVm = new SettingsViewModel(settings, client, Platform::runLater, background,
                locale -> relaunch(), theme -> Theme.apply(theme), this::signOut, i18n);
        SearchViewModel searchVm = new SearchViewModel(client, Platform::runLater, background, i18n);
        view[0] = new MainView(mainVm, chatVm, searchVm, i18n, dialogs,
                () -> new SettingsDialog(settingsVm, i18n, stage).show());
        calls = new CallFeature(client, CallFeature.engineForThisMachine(System.getenv()), Platform::runLater,
                background, i18n.locale(), options.dirs().data(), stage,
                missed -> notifier.show(i18n.t("app.title"), missed), clock);
        view[0].addChatHeaderAction(calls.headerButtons(chatVm.conversationProperty()));
        session = new Session(client, cache, view[0], chatVm, listVm, notifier);
        setRoot(view[0].build());
        opened.setAside().ifPresent(aside -> view[0].showToast(i18n.t("app.title"),
                i18n.t("cache.rebuilt", aside.getFileName())));
        client.start();
    }

    private void signOut() {
        if (calls != null) {
            calls.close();
            calls = null;
        }
        Session ending = session;
        session = null;
        if (ending == null) {
            return;
        }
        ending.list().dispose();
        ending.chat().dispose(); // keeps the draft being written, for the next sign-in to this account
        ending.client().stopSavingLogin();
        String sessionId = ending.client().sessionId();
        tokens.clear();
        background.execute(() -> {
            ending.client().signOut();
            ending.cache().close();
            // A refresh already under way when the user signed out may have saved this session once more.
            tokens.clearSession(sessionId);
        });
        showLogin();
    }

    /** Rebuilds the UI in the newly chosen language; the sign-in and cache stay. */
    private void relaunch() {
        i18n = new I18n(settings.language().orElse(Locale.getDefault()));
        endSession(false);
        start();
    }

    private void endSession(boolean forgetLogin) {
        if (calls != null) {
            // Hang up and release the media before the relay connection closes.
            calls.close();
            calls = null;
        }
        Session ending = session;
        session = null;
        if (forgetLogin) {
            tokens.clear();
        }
        if (ending != null) {
            ending.list().dispose();
            ending.chat().dispose(); // keeps the draft being written
            ending.client().close();
            ending.cache().close();
            ending.notifier().close();
        }
    }

    public void shutdown() {
        endSession(false);
        if (discovery != null) {
            discovery.close();
        }
        background.shutdownNow();
    }

    private void setRoot(Parent root) {
        scene.setRoot(root);
    }

    private Path cacheFile(SavedLogin login) {
        RelayAddress relay = RelayAddress.parse(login.relayUrl());
        String key = (relay.http().getHost() + "_" + relay.http().getPort()).replaceAll("[^A-Za-z0-9._-]", "_");
        return options.dirs().data().resolve("accounts").resolve(key + "-" + login.userId()).resolve("cache.db");
    }

    private static boolean sameRelay(String a, String b) {
        try {
            return RelayAddress.parse(a).toString().equals(RelayAddress.parse(b).toString());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private DeviceInfo device() {
        String host = System.getenv().getOrDefault("HOSTNAME", System.getenv().getOrDefault("COMPUTERNAME",
                "desktop"));
        return new DeviceInfo(settings.deviceId(), truncate(host), truncate(System.getProperty("os.name") + " "
                + System.getProperty("os.version")), version());
    }

    private static String truncate(String s) {
        return s.length() > 100 ? s.substring(0, 100) : s;
    }

    static String version() {
        try (InputStream in = Parley.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
