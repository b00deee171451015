package dev.parley.desktop.shell;

import dev.parley.desktop.chat.ChatView;
import dev.parley.desktop.chat.ChatViewModel;
import dev.parley.desktop.chat.ConversationDialogs;
import dev.parley.desktop.chat.ConversationItem;
import dev.parley.desktop.chat.ConversationListView;
import dev.parley.desktop.chat.SearchViewModel;
import dev.parley.desktop.net.ConnectionState;
import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.PresenceStatus;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.collections.FXCollections;
import javafx.event.EventHandler;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;
import javafx.util.StringConverter;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The main window: connection banner, header (own status, actions), the conversation list and the open chat.
 * Keyboard: Ctrl+N new message, Ctrl+G new group/channel, Ctrl+B browse channels, Ctrl+K search the list,
 * Ctrl+, settings, Alt+Up/Down previous/next conversation, Ctrl+M the message list, Enter in the list opens the
 * composer.
 */
public final class MainView {
    private final MainViewModel vm;
    private final ChatViewModel chatVm;
    private final SearchViewModel searchVm;
    private final I18n i18n;
    private final ConversationDialogs dialogs;
    private final Runnable openSettings;
    private final ZoneId zone = ZoneId.systemDefault();
    private final VBox toasts = new VBox(8);
    /** Takes this view's shortcuts and listeners off the scene it was shown in. */
    private Runnable uninstall = () -> { };
    private ListView<ConversationItem> conversations;
    private ChatView chatView;
    private final java.util.List<javafx.scene.Node> chatHeaderActions = new java.util.ArrayList<>();

    public MainView(MainViewModel vm, ChatViewModel chatVm, SearchViewModel searchVm, I18n i18n,
                    ConversationDialogs dialogs, Runnable openSettings) {
        this.vm = vm;
        this.chatVm = chatVm;
        this.searchVm = searchVm;
        this.i18n = i18n;
        this.dialogs = dialogs;
        this.openSettings = openSettings;
    }

    /** A control for the open conversation's header, from another feature (calls); call before {@link #build()}. */
    public void addChatHeaderAction(javafx.scene.Node action) {
        chatHeaderActions.add(action);
    }

    public Parent build() {
        BorderPane root = new BorderPane();
        root.setId("mainView");
        root.setTop(new VBox(banner(), header()));
        root.setLeft(sidebar());

        chatView = new ChatView(chatVm, searchVm, i18n, zone, this::openDetails);
        chatHeaderActions.forEach(chatView::addHeaderAction);
        Parent chat = chatView.build();
        Label empty = new Label(i18n.t("main.empty"));
        empty.getStyleClass().add("empty-hint");
        chat.visibleProperty().bind(chatVm.conversationProperty().isNotNull());
        empty.visibleProperty().bind(chatVm.conversationProperty().isNull());
        toasts.setAlignment(Pos.BOTTOM_RIGHT);
        toasts.setPickOnBounds(false);
        toasts.setPadding(new Insets(16));
        toasts.setMouseTransparent(true);
        StackPane center = new StackPane(empty, chat, toasts);
        root.setCenter(center);

        vm.list().selectedProperty().addListener((obs, was, now) -> {
            if (now != null && now.id() != chatVm.openConversation()) {
                chatVm.open(now.id());
                Platform.runLater(chatView::scrollToEnd);
            }
        });
        // The app keeps one Scene for the sign-in screen and every session: what this view puts on it must go
        // with the view, or the shortcuts of a signed-out session would still open its dialogs.
        root.sceneProperty().addListener((obs, was, scene) -> {
            uninstall.run();
            uninstall = () -> { };
            if (scene != null) {
                uninstall = install(scene);
            }
        });
        return root;
    }

    /** Opens a conversation by id (after creating or joining one). */
    public void open(long conv) {
        vm.list().refresh();
        ConversationItem item = vm.list().byId(conv);
        if (item != null) {
            vm.list().selectedProperty().set(item);
        } else {
            chatVm.open(conv);
        }
        Platform.runLater(chatView::focusComposer);
    }

    public void showToast(String title, String body) {
        Label t = new Label(title);
        t.setStyle("-fx-font-weight: bold;");
        Label b = new Label(body);
        b.setWrapText(true);
        VBox toast = new VBox(t, b);
        toast.getStyleClass().add("toast");
        toast.setId("toast");
        toasts.getChildren().add(toast);
        PauseTransition wait = new PauseTransition(Duration.seconds(5));
        wait.setOnFinished(e -> toasts.getChildren().remove(toast));
        wait.play();
    }

    private Node banner() {
        Label text = new Label();
        text.setId("bannerText");
        Button retry = new Button(i18n.t("banner.retry"));
        retry.setId("retryNow");
        retry.setOnAction(e -> vm.retryNow());
        HBox banner = new HBox(text, retry);
        banner.setId("banner");
        banner.getStyleClass().add("banner");
        Runnable update = () -> {
            ConnectionState state = vm.connectionProperty().get();
            boolean show = state != ConnectionState.CONNECTED;
            banner.setVisible(show);
            banner.setManaged(show);
            banner.getStyleClass().remove("signed-out");
            retry.setVisible(state == ConnectionState.OFFLINE);
            text.setText(switch (state) {
                case CONNECTING -> i18n.t("banner.connecting");
                case OFFLINE, STOPPED -> i18n.t("banner.offline");
                case SIGNED_OUT -> i18n.t("banner.signedOut");
                case INCOMPATIBLE -> i18n.t("banner.incompatible");
                case CONNECTED -> "";
            });
            if (state == ConnectionState.SIGNED_OUT || state == ConnectionState.INCOMPATIBLE) {
                banner.getStyleClass().add("signed-out");
            }
        };
        vm.connectionProperty().addListener((obs, was, now) -> update.run());
        update.run();
        return banner;
    }

    private Node header() {
        Label app = new Label(i18n.t("app.title"));
        app.getStyleClass().add("chat-title");
        var me = vm.me();
        Label who = new Label(me.displayName() != null ? me.displayName() : me.username());
        who.setId("meLabel");
        who.getStyleClass().add("muted");
        ChoiceBox<PresenceStatus> status = new ChoiceBox<>(FXCollections.observableArrayList(
                PresenceStatus.ONLINE, PresenceStatus.AWAY, PresenceStatus.DND));
        status.setId("status");
        status.setConverter(new StringConverter<>() {
            @Override
            public String toString(PresenceStatus s) {
                return s == null ? "" : i18n.t("status." + s.name().toLowerCase(Locale.ROOT));
            }

            @Override
            public PresenceStatus fromString(String s) {
                return null;
            }
        });
        status.valueProperty().bindBidirectional(vm.statusProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button newDm = action("newDm", "main.newDm", "Ctrl+N", dialogs::newDm);
        newDm.getStyleClass().add("accent");
        Button newGroup = action("newGroup", "main.newGroup", "Ctrl+G", dialogs::newGroup);
        Button browse = action("browseChannels", "main.browse", "Ctrl+B", dialogs::browseChannels);
        Button settings = action("settings", "main.settings", "Ctrl+,", openSettings);
        HBox header = new HBox(app, who, status, spacer, newDm, newGroup, browse, settings);
        header.getStyleClass().add("header");
        return header;
    }

    private Button action(String id, String key, String shortcut, Runnable run) {
        Button button = new Button(i18n.t(key));
        button.setId(id);
        button.setTooltip(new Tooltip(i18n.t(key) + " (" + shortcut + ")"));
        button.setOnAction(e -> run.run());
        return button;
    }

    private Node sidebar() {
        TextField filter = new TextField();
        filter.setId("conversationFilter");
        filter.setPromptText(i18n.t("main.search"));
        filter.textProperty().bindBidirectional(vm.list().filterProperty());
        conversations = new ConversationListView(vm.list(), i18n, zone).build();
        conversations.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && vm.list().selectedProperty().get() != null) {
                chatView.focusComposer();
                e.consume();
            }
        });
        filter.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DOWN || e.getCode() == KeyCode.ENTER) {
                conversations.requestFocus();
                if (conversations.getSelectionModel().isEmpty()) {
                    conversations.getSelectionModel().selectFirst();
                }
                e.consume();
            }
        });
        VBox.setVgrow(conversations, Priority.ALWAYS);
        VBox sidebar = new VBox(8, filter, conversations);
        sidebar.setPadding(new Insets(8));
        sidebar.getStyleClass().add("sidebar");
        sidebar.setPrefWidth(310);
        return sidebar;
    }

    /** Groups and channels have details (name, topic, members); a DM has none. */
    private void openDetails() {
        ConversationSummary open = chatVm.conversationProperty().get();
        if (open != null && open.kind() != ConversationKind.DM) {
            dialogs.details(open);
        }
    }

    /** Puts the shortcuts, activity filters and window bindings on {@code scene}; returns what takes them off. */
    private Runnable install(Scene scene) {
        Map<KeyCombination, Runnable> shortcuts = new LinkedHashMap<>();
        shortcuts.put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), dialogs::newDm);
        shortcuts.put(new KeyCodeCombination(KeyCode.G, KeyCombination.SHORTCUT_DOWN), dialogs::newGroup);
        shortcuts.put(new KeyCodeCombination(KeyCode.B, KeyCombination.SHORTCUT_DOWN), dialogs::browseChannels);
        shortcuts.put(new KeyCodeCombination(KeyCode.COMMA, KeyCombination.SHORTCUT_DOWN), openSettings);
        shortcuts.put(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN), () -> {
            Node filter = scene.lookup("#conversationFilter");
            if (filter != null) {
                filter.requestFocus();
            }
        });
        shortcuts.put(new KeyCodeCombination(KeyCode.M, KeyCombination.SHORTCUT_DOWN), chatView::focusMessages);
        shortcuts.put(new KeyCodeCombination(KeyCode.I, KeyCombination.SHORTCUT_DOWN), this::openDetails);
        shortcuts.put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), chatView::openSearch);
        shortcuts.put(new KeyCodeCombination(KeyCode.DOWN, KeyCombination.ALT_DOWN), () -> step(1));
        shortcuts.put(new KeyCodeCombination(KeyCode.UP, KeyCombination.ALT_DOWN), () -> step(-1));
        scene.getAccelerators().putAll(shortcuts);
        EventHandler<KeyEvent> keyActivity = e -> vm.userActive();
        EventHandler<MouseEvent> mouseActivity = e -> vm.userActive();
        scene.addEventFilter(KeyEvent.KEY_PRESSED, keyActivity);
        scene.addEventFilter(MouseEvent.MOUSE_MOVED, mouseActivity);
        ChangeListener<Boolean> focus = (o, w, focused) -> {
            vm.setWindowFocused(focused);
            chatVm.setWindowFocused(focused);
        };
        Stage[] bound = new Stage[1];
        ChangeListener<Window> windowShown = (o, w, n) -> {
            if (n instanceof Stage stage && bound[0] == null) {
                bound[0] = stage;
                bindWindow(stage, focus);
            }
        };
        if (scene.getWindow() instanceof Stage stage) {
            bound[0] = stage;
            bindWindow(stage, focus);
        } else {
            scene.windowProperty().addListener(windowShown);
        }
        Timeline idle = new Timeline(new KeyFrame(Duration.seconds(30), e -> vm.checkIdle()));
        idle.setCycleCount(Timeline.INDEFINITE);
        idle.play();
        return () -> {
            idle.stop();
            shortcuts.forEach((keys, action) -> scene.getAccelerators().remove(keys, action));
            scene.removeEventFilter(KeyEvent.KEY_PRESSED, keyActivity);
            scene.removeEventFilter(MouseEvent.MOUSE_MOVED, mouseActivity);
            scene.windowProperty().removeListener(windowShown);
            if (bound[0] != null) {
                bound[0].titleProperty().unbind();
                bound[0].focusedProperty().removeListener(focus);
            }
        };
    }

    private void bindWindow(Stage stage, ChangeListener<Boolean> focus) {
        stage.titleProperty().bind(vm.titleProperty());
        stage.focusedProperty().addListener(focus);
        vm.setWindowFocused(stage.isFocused());
        chatVm.setWindowFocused(stage.isFocused());
    }

    private void step(int delta) {
        var items = conversations.getItems();
        if (items.isEmpty()) {
            return;
        }
        int index = conversations.getSelectionModel().getSelectedIndex();
        int next = Math.max(0, Math.min(items.size() - 1, index < 0 ? 0 : index + delta));
        conversations.getSelectionModel().select(next);
        conversations.scrollTo(next);
    }
}
