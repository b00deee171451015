package dev.parley.desktop.chat;

import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.PresenceStatus;
import javafx.geometry.Pos;
import javafx.geometry.Side;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.SVGPath;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/** The conversation list: avatar with presence dot, name, last message, time and unread badge. */
public final class ConversationListView {
    private final ConversationListViewModel vm;
    private final I18n i18n;
    private final ZoneId zone;
    private final DateTimeFormatter time;
    private final DateTimeFormatter date;

    public ConversationListView(ConversationListViewModel vm, I18n i18n, ZoneId zone) {
        this.vm = vm;
        this.i18n = i18n;
        this.zone = zone;
        this.time = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(i18n.locale());
        this.date = DateTimeFormatter.ofLocalizedDate(FormatStyle.SHORT).withLocale(i18n.locale());
    }

    public ListView<ConversationItem> build() {
        ListView<ConversationItem> list = new ListView<>(vm.items());
        list.setId("conversations");
        list.getStyleClass().add("conversation-list");
        list.setCellFactory(l -> new Cell());
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            ConversationItem selected = list.getSelectionModel().getSelectedItem();
            if (selected != null && (e.getCode() == KeyCode.CONTEXT_MENU
                    || (e.getCode() == KeyCode.F10 && e.isShiftDown()))) {
                // At the selected row when it is on screen, else at the list.
                Node anchor = list.lookupAll(".list-cell").stream()
                        .filter(n -> n instanceof Cell cell && cell.getItem() == selected).findFirst().orElse(list);
                menuFor(selected).show(anchor, Side.BOTTOM, 24, 0);
                e.consume();
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((obs, was, now) -> {
            if (now != null && (vm.selectedProperty().get() == null || vm.selectedProperty().get().id() != now.id())) {
                vm.selectedProperty().set(now);
            }
        });
        vm.selectedProperty().addListener((obs, was, now) -> {
            if (now != null && list.getSelectionModel().getSelectedItem() != now) {
                list.getSelectionModel().select(now);
            }
        });
        // Rebuilding the list replaces the items; keep the selection on the same conversation.
        vm.items().addListener((javafx.collections.ListChangeListener<ConversationItem>) c -> {
            ConversationItem selected = vm.selectedProperty().get();
            if (selected != null) {
                javafx.application.Platform.runLater(() -> vm.items().stream().filter(i -> i.id() == selected.id())
                        .findFirst().ifPresent(i -> list.getSelectionModel().select(i)));
            }
        });
        return list;
    }

    /**
     * A bell struck through, drawn rather than typed: the emoji (U+1F515) is missing from the fonts of many Linux
     * desktops and would show as an empty box.
     */
    private static Group mutedMark() {
        SVGPath bell = new SVGPath();
        bell.setContent("M8 1.5c-.6 0-1 .4-1 1v.6C5.3 3.6 4 5.2 4 7.2V10l-1.3 1.6v.9h10.6v-.9L12 10V7.2"
                + "c0-2-1.3-3.6-3-4.1v-.6c0-.6-.4-1-1-1zM6.5 13.5a1.5 1.5 0 0 0 3 0z");
        bell.getStyleClass().add("muted-mark");
        Line slash = new Line(2, 2, 14, 14);
        slash.getStyleClass().add("muted-mark-slash");
        Group mark = new Group(bell, slash);
        mark.setId("mutedMark");
        return mark;
    }

    /** Right click on a conversation, or the Menu key / Shift+F10 on the selected one. */
    private ContextMenu menuFor(ConversationItem item) {
        MenuItem mute = new MenuItem(i18n.t(item.muted() ? "list.unmute" : "list.mute"));
        mute.setId("muteConversation");
        mute.setOnAction(e -> vm.setMuted(item.id(), !item.muted()));
        return new ContextMenu(mute);
    }

    private String preview(ConversationItem item) {
        LogEvent last = item.lastMessage();
        if (last == null) {
            return i18n.t("chat.preview.none");
        }
        String text = Boolean.TRUE.equals(last.deleted()) || last.text() == null
                ? i18n.t("chat.preview.deleted") : last.text().replace('\n', ' ');
        return item.lastSenderName() == null ? text : item.lastSenderName() + ": " + text;
    }

    private String when(long ts) {
        if (ts <= 0) {
            return "";
        }
        var at = Instant.ofEpochMilli(ts).atZone(zone);
        return at.toLocalDate().equals(LocalDate.now(zone)) ? time.format(at) : date.format(at);
    }

    private final class Cell extends ListCell<ConversationItem> {
        private final Label initial = new Label();
        private final Circle avatar = new Circle(17);
        private final Circle dot = new Circle(5);
        private final StackPane avatarPane = new StackPane(avatar, initial, dot);
        private final Label title = new Label();
        private final Label preview = new Label();
        private final Label when = new Label();
        private final Label badge = new Label();
        private final Group mutedMark = mutedMark();
        private final HBox root;

        Cell() {
            avatar.getStyleClass().add("avatar");
            avatar.setStyle("-fx-fill: -color-accent-muted;");
            initial.setStyle("-fx-font-weight: bold;");
            dot.getStyleClass().add("presence-dot");
            StackPane.setAlignment(dot, Pos.BOTTOM_RIGHT);
            avatarPane.setMinSize(36, 36);
            avatarPane.setMaxSize(36, 36);
            title.getStyleClass().add("conversation-title");
            preview.getStyleClass().add("conversation-preview");
            title.setMinWidth(0);
            preview.setMinWidth(0);
            when.getStyleClass().add("conversation-preview");
            badge.getStyleClass().add("unread-badge");
            VBox texts = new VBox(2, title, preview);
            texts.setMinWidth(0);
            texts.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(texts, Priority.ALWAYS);
            Tooltip.install(mutedMark, new Tooltip(i18n.t("list.muted")));
            mutedMark.managedProperty().bind(mutedMark.visibleProperty());
            HBox marks = new HBox(4, mutedMark, badge);
            marks.setAlignment(Pos.CENTER_RIGHT);
            VBox right = new VBox(4, when, marks);
            right.setAlignment(Pos.TOP_RIGHT);
            right.setMinWidth(Region.USE_PREF_SIZE); // the time and badge never get cut; the preview does
            when.setMinWidth(Region.USE_PREF_SIZE);
            root = new HBox(10, avatarPane, texts, right);
            root.setAlignment(Pos.CENTER_LEFT);
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(ConversationItem item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setText(null);
                setContextMenu(null);
                setAccessibleText(null);
                return;
            }
            title.setText(item.title());
            String first = item.kind() == ConversationKind.CHANNEL ? "#"
                    : item.title().isEmpty() ? "?"
                    // a whole code point: a name starting with an emoji must not show half of it
                    : item.title().substring(0, item.title().offsetByCodePoints(0, 1)).toUpperCase(Locale.ROOT);
            initial.setText(first);
            preview.setText(preview(item));
            when.setText(when(item.lastActivity()));
            badge.setText(Long.toString(item.unread()));
            badge.setVisible(item.unread() > 0);
            badge.getStyleClass().remove("muted-badge");
            if (item.muted()) {
                badge.getStyleClass().add("muted-badge");
            }
            mutedMark.setVisible(item.muted());
            setContextMenu(menuFor(item));
            dot.setVisible(item.kind() == ConversationKind.DM);
            dot.getStyleClass().removeIf(s -> s.startsWith("presence-") && !s.equals("presence-dot"));
            PresenceStatus presence = item.presence() == null ? PresenceStatus.OFFLINE : item.presence();
            dot.getStyleClass().add("presence-" + presence.name().toLowerCase(Locale.ROOT));
            setAccessibleText(item.title() + (item.unread() > 0 ? ", " + item.unread() : "")
                    + (item.muted() ? ", " + i18n.t("list.muted") : ""));
            setText(null);
            setGraphic(root);
        }
    }
}
