package dev.parley.desktop.chat;

import dev.parley.desktop.ui.I18n;
import dev.parley.desktop.ui.Refusals;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.Limits;
import dev.parley.protocol.LogEvent;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.util.Duration;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;

/**
 * The open conversation: a virtualised message list (only visible rows have cells, so 100,000 messages scroll as
 * smoothly as 100), day separators, rows grouped by sender, delivery state of own messages, edit/delete by context
 * menu or keys, the typing line, and the composer (Enter sends, Shift+Enter adds a line, Up edits the last own message,
 * Esc cancels an edit).
 */
public final class ChatView {
    /** Copies the selected message; Shortcut is Ctrl, or Cmd on macOS. */
    private static final KeyCombination COPY = KeyCombination.keyCombination("Shortcut+C");
    private final ChatViewModel vm;
    private final I18n i18n;
    private final ZoneId zone;
    private final DateTimeFormatter timeFormat;
    private final DateTimeFormatter dayFormat;
    private final Runnable onMembers;
    private final SearchViewModel search;
    private VBox searchBox;
    private TextField searchField;
    private ListView<MessageItem> list;
    private TextArea composer;
    private ScrollBar verticalBar;
    private final List<Node> headerActions = new java.util.ArrayList<>();
    private HBox header;

    public ChatView(ChatViewModel vm, SearchViewModel search, I18n i18n, ZoneId zone, Runnable onMembers) {
        this.vm = vm;
        this.search = search;
        this.i18n = i18n;
        this.zone = zone;
        this.onMembers = onMembers;
        this.timeFormat = DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT).withLocale(i18n.locale());
        this.dayFormat = DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL).withLocale(i18n.locale());
    }

    public Parent build() {
        BorderPane root = new BorderPane();
        root.setId("chatView");
        root.setTop(new VBox(header(), searchBox()));
        root.setCenter(messageList());
        root.setBottom(composerBox());
        Timeline ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> vm.tick()));
        ticker.setCycleCount(Timeline.INDEFINITE);
        ticker.play();
        root.sceneProperty().addListener((obs, was, now) -> {
            if (now == null) {
                ticker.stop();
            }
        });
        return root;
    }

    /** Adds a control to the conversation header (other features' actions, e.g. the call buttons). */
    public void addHeaderAction(Node action) {
        headerActions.add(action);
        if (header != null) {
            header.getChildren().add(action);
        }
    }

    /** Ctrl+F: find in this conversation. */
    public void openSearch() {
        if (vm.conversationProperty().get() == null) {
            return;
        }
        searchBox.setVisible(true);
        searchField.requestFocus();
        searchField.selectAll();
    }

    private void closeSearch() {
        searchBox.setVisible(false);
        search.reset();
        focusComposer();
    }

    private Node searchBox() {
        searchField = new TextField();
        searchField.setId("searchField");
        searchField.setPromptText(i18n.t("search.prompt"));
        searchField.textProperty().bindBidirectional(search.queryProperty());
        searchField.setOnAction(e -> search.search());
        HBox.setHgrow(searchField, Priority.ALWAYS);
        Button older = new Button(i18n.t("search.older"));
        older.setId("searchOlder");
        older.visibleProperty().bind(search.moreProperty().and(search.busyProperty().not()));
        older.managedProperty().bind(older.visibleProperty());
        older.setOnAction(e -> search.searchOlder());
        Button close = new Button(i18n.t("search.close"));
        close.setId("searchClose");
        close.setOnAction(e -> closeSearch());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(16, 16);
        busy.visibleProperty().bind(search.busyProperty());
        busy.managedProperty().bind(busy.visibleProperty());
        Label status = new Label();
        status.setId("searchStatus");
        status.getStyleClass().add("muted");
        status.textProperty().bind(search.statusProperty());
        ListView<LogEvent> results = new ListView<>(search.results());
        results.setId("searchResults");
        // As tall as its results, up to four of them; the chat keeps the rest of the height.
        results.prefHeightProperty().bind(Bindings.min(180,
                Bindings.size(search.results()).multiply(44).add(4)));
        results.setCellFactory(l -> new SearchResultCell());
        results.visibleProperty().bind(Bindings.isNotEmpty(search.results()));
        results.managedProperty().bind(results.visibleProperty());
        results.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                show(results.getSelectionModel().getSelectedItem());
            } else if (e.getCode() == KeyCode.ESCAPE) {
                closeSearch();
            }
        });
        searchField.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                closeSearch();
            } else if (e.getCode() == KeyCode.DOWN && !results.getItems().isEmpty()) {
                results.requestFocus();
                results.getSelectionModel().selectFirst();
            }
        });
        HBox row = new HBox(6, searchField, busy, older, close);
        row.setAlignment(Pos.CENTER_LEFT);
        searchBox = new VBox(4, row, status, results);
        searchBox.setId("searchBox");
        searchBox.setPadding(new Insets(6, 12, 6, 12));
        searchBox.setVisible(false);
        searchBox.managedProperty().bind(searchBox.visibleProperty());
        vm.conversationProperty().addListener((o, was, now) -> {
            search.conversation(now == null ? 0 : now.id());
            if (was == null || now == null || was.id() != now.id()) {
                searchBox.setVisible(false);
            }
        });
        return searchBox;
    }

    /** Brings a search result into the chat (loading older pages if needed) and selects it there. */
    private void show(LogEvent hit) {
        if (hit == null) {
            return;
        }
        vm.reveal(hit.seq(), item -> {
            list.getSelectionModel().select(item);
            list.scrollTo(item);
            list.requestFocus();
        }, search::notShown);
    }

    /** A result: who and when on the first line, the message's text (two lines at most) below. */
    private static Text snippetText(String part) {
        Text text = new Text(part);
        text.getStyleClass().add("search-snippet");
        return text;
    }

    private final class SearchResultCell extends ListCell<LogEvent> {
        SearchResultCell() {
            // On a result, not on the list's empty space or scroll bar.
            setOnMouseClicked(e -> {
                if (!isEmpty()) {
                    show(getItem());
                }
            });
        }

        @Override
        protected void updateItem(LogEvent hit, boolean empty) {
            super.updateItem(hit, empty);
            if (empty || hit == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            ZonedDateTime when = Instant.ofEpochMilli(hit.ts()).atZone(zone);
            Label who = new Label(vm.nameOf(hit.sender()) + " · " + dayFormat.format(when) + ", "
                    + timeFormat.format(when));
            who.getStyleClass().add("muted");
            SearchSnippet snippet = search.snippet(hit);
            Text match = new Text(snippet.match());
            match.getStyleClass().addAll("search-snippet", "search-match");
            TextFlow text = new TextFlow(snippetText(snippet.before()), match, snippetText(snippet.after()));
            text.setId("searchSnippet");
            // Two lines at most, whatever the message's length; the chat shows the rest.
            text.setMaxHeight(36);
            text.setPrefWidth(0);
            text.setMaxWidth(Double.MAX_VALUE);
            Rectangle clip = new Rectangle();
            clip.widthProperty().bind(text.widthProperty());
            clip.heightProperty().bind(text.heightProperty());
            text.setClip(clip);
            setText(null);
            setGraphic(new VBox(2, who, text));
        }
    }

    public void focusComposer() {
        if (composer != null) {
            composer.requestFocus();
        }
    }

    public void focusMessages() {
        if (list != null) {
            list.requestFocus();
            if (list.getSelectionModel().isEmpty() && !list.getItems().isEmpty()) {
                list.getSelectionModel().selectLast();
            }
        }
    }

    /** Called after the view model opened a conversation: show the newest message. */
    public void scrollToEnd() {
        if (list != null && !list.getItems().isEmpty()) {
            list.scrollTo(list.getItems().size() - 1);
        }
    }

    private Node header() {
        Label title = new Label();
        title.setId("chatTitle");
        title.getStyleClass().add("chat-title");
        Label subtitle = new Label();
        subtitle.getStyleClass().add("muted");
        vm.conversationProperty().addListener((obs, was, now) -> {
            title.setText(now == null ? "" : titleOf(now));
            subtitle.setText(now == null ? "" : subtitleOf(now));
        });
        VBox titles = new VBox(title, subtitle);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        CheckBox notices = new CheckBox(i18n.t("chat.showNotices"));
        notices.setId("showNotices");
        notices.selectedProperty().bindBidirectional(vm.showNoticesProperty());
        Button members = new Button(i18n.t("chat.details"));
        members.setId("detailsButton");
        members.setTooltip(new Tooltip(i18n.t("chat.details.tooltip")));
        members.setOnAction(e -> onMembers.run());
        members.visibleProperty().bind(vm.conversationProperty().map(c -> c.kind() != ConversationKind.DM)
                .orElse(false));
        members.managedProperty().bind(members.visibleProperty());
        header = new HBox(titles, spacer, notices, members);
        header.getChildren().addAll(headerActions);
        header.getStyleClass().add("header");
        return header;
    }

    private String titleOf(ConversationSummary c) {
        return switch (c.kind()) {
            case DM -> c.members().stream().filter(m -> m.user().id() != vm.myId()).findFirst()
                    .map(m -> ConversationListViewModel.displayName(m.user())).orElse("?");
            case GROUP -> c.name();
            case CHANNEL -> "#" + c.name();
        };
    }

    private String subtitleOf(ConversationSummary c) {
        return switch (c.kind()) {
            case DM -> i18n.t("kind.dm");
            case GROUP, CHANNEL -> i18n.t("kind." + c.kind().name().toLowerCase(Locale.ROOT)) + " · "
                    + c.memberCount() + (c.topic() == null || c.topic().isBlank() ? "" : " · " + c.topic());
        };
    }

    private static void copy(MessageItem item) {
        ClipboardContent content = new ClipboardContent();
        content.putString(item.text());
        Clipboard.getSystemClipboard().setContent(content);
    }

    private Node messageList() {
        list = new ListView<>(vm.items());
        list.setId("messages");
        list.getStyleClass().add("message-list");
        list.setFocusTraversable(true);
        list.setCellFactory(l -> new MessageCell());
        list.setPlaceholder(new Label(""));
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            MessageItem selected = list.getSelectionModel().getSelectedItem();
            if ((e.getCode() == KeyCode.CONTEXT_MENU || (e.getCode() == KeyCode.F10 && e.isShiftDown()))
                    && selected != null) {
                showContextMenuOfSelected();
                e.consume();
            } else if (COPY.match(e) && selected != null && !selected.deleted() && selected.text() != null) {
                copy(selected);
                e.consume();
            } else if (e.getCode() == KeyCode.DELETE && selected != null) {
                delete(selected);
                e.consume();
            } else if ((e.getCode() == KeyCode.E || e.getCode() == KeyCode.F2) && selected != null
                    && selected.editable()) {
                vm.startEdit(selected);
                focusComposer();
                e.consume();
            }
        });
        // New rows at the end: follow them if the user was at the bottom (or sent the message).
        vm.items().addListener((ListChangeListener<MessageItem>) change -> {
            boolean atBottom = verticalBar == null || verticalBar.getValue() >= verticalBar.getMax() - 0.02;
            int prepended = 0;
            boolean appendedOwn = false;
            while (change.next()) {
                if (change.wasAdded() && change.getFrom() == 0 && change.getList().size() > change.getAddedSize()
                        && !change.wasReplaced()) {
                    prepended += change.getAddedSize();
                } else if (change.wasAdded() && !change.wasReplaced()
                        && change.getTo() == change.getList().size()) {
                    // Only new rows at the end: an own message edited or confirmed in place keeps the reader's spot.
                    appendedOwn |= change.getAddedSubList().stream().anyMatch(MessageItem::own);
                }
            }
            int keep = prepended;
            boolean follow = atBottom || appendedOwn;
            Platform.runLater(() -> {
                if (keep > 0) {
                    list.scrollTo(keep);
                } else if (follow && !list.getItems().isEmpty()) {
                    list.scrollTo(list.getItems().size() - 1);
                }
            });
        });
        vm.receiptsVersionProperty().addListener((obs, was, now) -> list.refresh());
        list.skinProperty().addListener((obs, was, skin) -> Platform.runLater(this::watchScrollTop));
        return list;
    }

    /** The context menu from the keyboard (Menu key or Shift+F10), at the selected row. */
    private void showContextMenuOfSelected() {
        int index = list.getSelectionModel().getSelectedIndex();
        for (Node node : list.lookupAll(".list-cell")) {
            if (node instanceof ListCell<?> cell && cell.getIndex() == index && cell.getContextMenu() != null) {
                cell.getContextMenu().show(cell, javafx.geometry.Side.BOTTOM, 40, -8);
                return;
            }
        }
    }

    private void watchScrollTop() {
        for (Node node : list.lookupAll(".scroll-bar")) {
            if (node instanceof ScrollBar bar && bar.getOrientation() == Orientation.VERTICAL) {
                verticalBar = bar;
                bar.valueProperty().addListener((obs, was, now) -> {
                    if (now.doubleValue() <= bar.getMin() + 1e-6 && was.doubleValue() > now.doubleValue()) {
                        vm.loadOlder();
                    }
                });
            }
        }
    }

    /** Deletes an own message at once; someone else's (moderation) only after the user confirms. */
    private void delete(MessageItem item) {
        if (!vm.mayRemoveForEveryone(item)) {
            vm.delete(item);
            return;
        }
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, i18n.t("chat.removeForEveryone.confirm",
                vm.nameOf(item.sender())), ButtonType.OK,
                // JavaFX's own Cancel is worded in the system's language, not in the one chosen in Settings.
                new ButtonType(i18n.t("chat.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE));
        confirm.setHeaderText(null);
        confirm.setTitle(i18n.t("chat.removeForEveryone"));
        if (list.getScene() != null) {
            confirm.initOwner(list.getScene().getWindow());
            confirm.getDialogPane().getStylesheets().addAll(list.getScene().getStylesheets());
        }
        if (confirm.showAndWait().filter(b -> b == ButtonType.OK).isPresent()) {
            vm.delete(item);
        }
    }

    private Node composerBox() {
        Label typing = new Label();
        typing.setId("typing");
        typing.getStyleClass().add("typing");
        typing.textProperty().bind(vm.typingNamesProperty().map(this::typingText));

        Label editingLabel = new Label(i18n.t("chat.editing"));
        editingLabel.getStyleClass().add("muted");
        Button cancelEdit = new Button(i18n.t("chat.cancel"));
        cancelEdit.setId("cancelEdit");
        cancelEdit.setOnAction(e -> vm.cancelEdit());
        HBox editBar = new HBox(8, editingLabel, cancelEdit);
        editBar.setAlignment(Pos.CENTER_LEFT);
        editBar.visibleProperty().bind(vm.editingProperty().isNotNull());
        editBar.managedProperty().bind(editBar.visibleProperty());

        Label error = new Label();
        error.setId("chatError");
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.failureProperty().map(f -> Refusals.describe(i18n, f, "chat.offlineAction")));
        error.visibleProperty().bind(vm.failureProperty().isNotNull());
        error.managedProperty().bind(error.visibleProperty());

        composer = new TextArea();
        composer.setId("composer");
        composer.setPromptText(i18n.t("chat.composer.prompt"));
        composer.setWrapText(true);
        composer.setPrefRowCount(2);
        composer.textProperty().bindBidirectional(vm.composerTextProperty());
        composer.textProperty().addListener((obs, was, now) -> {
            vm.typed();
            vm.clearError();
        });
        composer.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                if (e.isShiftDown()) {
                    composer.insertText(composer.getCaretPosition(), "\n");
                } else {
                    vm.send();
                }
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE && vm.editingProperty().get() != null) {
                vm.cancelEdit();
                e.consume();
            } else if (e.getCode() == KeyCode.UP && composer.getText().isEmpty()) {
                if (vm.editLastOwn()) {
                    composer.end();
                    e.consume();
                }
            } else if (e.getCode() == KeyCode.TAB && !e.isControlDown()) {
                // Tab leaves the composer (a messenger composer never needs tab characters).
                composer.fireEvent(new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.TAB, e.isShiftDown(), true,
                        false, false));
                e.consume();
            }
        });
        vm.editingProperty().addListener((obs, was, now) -> {
            if (now != null) {
                Platform.runLater(() -> {
                    composer.requestFocus();
                    composer.end();
                });
            }
        });
        HBox.setHgrow(composer, Priority.ALWAYS);

        Button send = new Button();
        send.setId("send");
        send.getStyleClass().add("accent");
        send.textProperty().bind(vm.editingProperty().map(e -> i18n.t("chat.save")).orElse(i18n.t("chat.send")));
        send.disableProperty().bind(vm.canSendProperty().not());
        send.setOnAction(e -> vm.send());
        send.setMaxWidth(Double.MAX_VALUE);
        Label limit = new Label();
        limit.setId("limit");
        limit.getStyleClass().add("limit");
        vm.remainingProperty().addListener((obs, was, now) -> updateLimit(limit, now.intValue()));
        updateLimit(limit, vm.remainingProperty().get());
        VBox side = new VBox(4, send, limit);
        side.setAlignment(Pos.TOP_CENTER);
        side.setMinWidth(90);

        HBox row = new HBox(8, composer, side);
        row.visibleProperty().bind(vm.mayPostProperty().or(vm.editingProperty().isNotNull()));
        row.managedProperty().bind(row.visibleProperty());
        Label readOnly = new Label(i18n.t("chat.adminsOnly"));
        readOnly.setId("postingClosed");
        readOnly.getStyleClass().add("muted");
        readOnly.visibleProperty().bind(row.visibleProperty().not());
        readOnly.managedProperty().bind(readOnly.visibleProperty());
        VBox box = new VBox(typing, editBar, error, row, readOnly);
        box.getStyleClass().add("composer-box");
        return box;
    }

    private void updateLimit(Label limit, int remaining) {
        int used = Limits.MAX_TEXT_LENGTH - remaining;
        limit.getStyleClass().remove("over");
        if (remaining < 0) {
            limit.getStyleClass().add("over");
            limit.setText(i18n.t("chat.limit.over", -remaining));
        } else {
            limit.setText(used == 0 ? "" : i18n.t("chat.limit", used, Limits.MAX_TEXT_LENGTH));
        }
    }

    private String typingText(List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        return names.size() == 1 ? i18n.t("chat.typing.one", names.getFirst())
                : i18n.t("chat.typing.many", String.join(", ", names));
    }

    String dayLabel(LocalDate day) {
        LocalDate today = LocalDate.now(zone);
        if (day.equals(today)) {
            return i18n.t("chat.today");
        }
        if (day.equals(today.minusDays(1))) {
            return i18n.t("chat.yesterday");
        }
        return dayFormat.format(day);
    }

    String noticeText(MessageItem item) {
        String member = item.member() == null ? "" : vm.nameOf(item.member());
        String sender = vm.nameOf(item.sender());
        return switch (item.kind()) {
            case CREATED -> i18n.t("chat.notice.created", sender);
            case MEMBER_JOINED -> item.member() == null || item.member() == item.sender()
                    ? i18n.t("chat.notice.joined", member.isEmpty() ? sender : member)
                    : i18n.t("chat.notice.added", member, sender);
            case MEMBER_LEFT -> item.member() == null || item.member() == item.sender()
                    ? i18n.t("chat.notice.left", member.isEmpty() ? sender : member)
                    : i18n.t("chat.notice.removed", member, sender);
            case ROLE_CHANGED -> i18n.t("chat.notice.role", member, item.role() == null ? ""
                    : i18n.t("role." + item.role().name().toLowerCase(Locale.ROOT)));
            case CALL -> i18n.t("chat.notice.call", sender);
            case MESSAGE, EDITED, DELETED -> "";
        };
    }

    /** One row. Cells are recycled by the ListView, so everything is set in updateItem. */
    private final class MessageCell extends ListCell<MessageItem> {
        private final Label day = new Label();
        private final Label notice = new Label();
        private final Label sender = new Label();
        private final Label text = new Label();
        private final Label meta = new Label();
        private final VBox bubble = new VBox(2, sender, text, meta);
        private final HBox bubbleRow = new HBox(bubble);
        private final VBox root = new VBox(day, notice, bubbleRow);

        MessageCell() {
            day.getStyleClass().add("day-separator");
            day.setMaxWidth(Double.MAX_VALUE);
            day.setAlignment(Pos.CENTER);
            notice.getStyleClass().add("notice");
            notice.setMaxWidth(Double.MAX_VALUE);
            notice.setAlignment(Pos.CENTER);
            sender.getStyleClass().add("sender-name");
            text.getStyleClass().add("message-text");
            text.setWrapText(true);
            text.setMinHeight(Region.USE_PREF_SIZE); // otherwise multi-line text is cut to one line with "..."
            meta.getStyleClass().add("message-meta");
            bubble.getStyleClass().add("bubble");
            bubble.setMaxWidth(Region.USE_PREF_SIZE);
            text.maxWidthProperty().bind(listViewProperty().flatMap(ListView::widthProperty)
                    .map(w -> Math.max(120, w.doubleValue() * 0.68)).orElse(400.0));
            setPrefWidth(0); // lets long text wrap instead of widening the list
            setText(null);
        }

        @Override
        protected void updateItem(MessageItem item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeAll("own-message", "pending-message");
            if (empty || item == null) {
                setGraphic(null);
                setContextMenu(null);
                return;
            }
            int index = getIndex();
            MessageItem previous = index > 0 && index - 1 < getListView().getItems().size()
                    ? getListView().getItems().get(index - 1) : null;
            boolean newDay = ChatViewModel.startsDay(previous, item, zone);
            show(day, newDay);
            if (newDay) {
                day.setText(dayLabel(ChatViewModel.day(item, zone)));
            }
            if (item.isNotice()) {
                show(notice, true);
                show(bubbleRow, false);
                notice.setText(noticeText(item) + "  ·  " + time(item.ts()));
                setContextMenu(null);
                setGraphic(root);
                return;
            }
            show(notice, false);
            show(bubbleRow, true);
            bubbleRow.setAlignment(item.own() ? Pos.CENTER_RIGHT : Pos.CENTER_LEFT);
            bubble.getStyleClass().removeAll("own", "deleted");
            if (item.own()) {
                bubble.getStyleClass().add("own");
                getStyleClass().add("own-message");
            }
            boolean header = ChatViewModel.startsGroup(previous, item) || newDay;
            show(sender, header && !item.own());
            sender.setText(vm.nameOf(item.sender()));
            if (item.deleted()) {
                bubble.getStyleClass().add("deleted");
                text.setText(i18n.t("chat.deleted"));
            } else {
                text.setText(item.text());
            }
            meta.getStyleClass().remove("failed");
            StringBuilder m = new StringBuilder(time(item.ts()));
            if (item.edited() && !item.deleted()) {
                m.append(" · ").append(i18n.t("chat.edited"));
            }
            Delivery delivery = vm.deliveryOf(item);
            if (delivery != null) {
                if (item.pending()) {
                    getStyleClass().add("pending-message");
                }
                m.append(" · ").append(switch (delivery) {
                    case SENDING -> i18n.t("chat.sending");
                    case SENT -> i18n.t("chat.sent") + " ✓";
                    case DELIVERED -> i18n.t("chat.delivered") + " ✓✓";
                    case READ -> i18n.t("chat.read") + " ✓✓";
                    case FAILED -> i18n.t("chat.failed", item.error());
                });
                if (delivery == Delivery.FAILED) {
                    meta.getStyleClass().add("failed");
                }
            }
            meta.setText(m.toString());
            setContextMenu(menuFor(item));
            setGraphic(root);
        }

        private ContextMenu menuFor(MessageItem item) {
            ContextMenu menu = new ContextMenu();
            if (!item.deleted() && item.text() != null) {
                // No accelerators on these menus: a cell's menu registers them on the whole scene, where Delete or
                // E pressed anywhere would act on whichever message's cell registered last. The keys are handled
                // by the message list for its selected message instead.
                MenuItem copy = new MenuItem(i18n.t("chat.copy"));
                copy.setOnAction(e -> copy(item));
                menu.getItems().add(copy);
            }
            if (item.editable()) {
                MenuItem edit = new MenuItem(i18n.t("chat.edit"));
                edit.setId("menuEdit");
                edit.setOnAction(e -> vm.startEdit(item));
                MenuItem delete = new MenuItem(i18n.t("chat.delete"));
                delete.setId("menuDelete");
                delete.setOnAction(e -> vm.delete(item));
                menu.getItems().addAll(edit, delete);
            } else if (vm.mayRemoveForEveryone(item)) {
                MenuItem remove = new MenuItem(i18n.t("chat.removeForEveryone"));
                remove.setId("menuRemove");
                remove.setOnAction(e -> delete(item));
                menu.getItems().add(remove);
            } else if (item.pending() && item.error() != null) {
                MenuItem discard = new MenuItem(i18n.t("chat.discard"));
                discard.setOnAction(e -> vm.delete(item));
                menu.getItems().add(discard);
            }
            return menu.getItems().isEmpty() ? null : menu;
        }

        private String time(long ts) {
            return timeFormat.format(Instant.ofEpochMilli(ts).atZone(zone));
        }
    }

    private static void show(Node node, boolean visible) {
        node.setVisible(visible);
        node.setManaged(visible);
    }
}
