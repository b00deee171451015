package dev.parley.desktop.chat;

import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.PresenceStatus;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;

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
            VBox right = new VBox(4, when, badge);
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
                return;
            }
            title.setText(item.title());
            String first = item.kind() == ConversationKind.CHANNEL ? "#"
                    : item.title().isEmpty() ? "?" : item.title().substring(0, 1).toUpperCase(Locale.ROOT);
            initial.setText(first);
            preview.setText(preview(item));
            when.setText(when(item.lastActivity()));
            badge.setText(Long.toString(item.unread()));
            badge.setVisible(item.unread() > 0);
            dot.setVisible(item.kind() == ConversationKind.DM);
            dot.getStyleClass().removeIf(s -> s.startsWith("presence-") && !s.equals("presence-dot"));
            PresenceStatus presence = item.presence() == null ? PresenceStatus.OFFLINE : item.presence();
            dot.getStyleClass().add("presence-" + presence.name().toLowerCase(Locale.ROOT));
            setAccessibleText(item.title() + (item.unread() > 0 ? ", " + item.unread() : ""));
            setText(null);
            setGraphic(root);
        }
    }
}
