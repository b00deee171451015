package dev.parley.desktop.chat;

import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.MemberInfo;
import dev.parley.protocol.UserSummary;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** New DM, new group/channel, members, and the channel browser. Each opens a conversation it created or joined. */
public final class ConversationDialogs {
    private final ConversationActions actions;
    private final I18n i18n;
    private final Window owner;
    private final Consumer<Long> open;
    private final Consumer<String> error;

    public ConversationDialogs(ConversationActions actions, I18n i18n, Window owner, Consumer<Long> open,
                               Consumer<String> error) {
        this.actions = actions;
        this.i18n = i18n;
        this.owner = owner;
        this.open = open;
        this.error = error;
    }

    /** Find a person and open the DM with them. */
    public void newDm() {
        Dialog<UserSummary> dialog = dialog(i18n.t("dialog.dm.title"));
        ButtonType openType = new ButtonType(i18n.t("dialog.dm.open"), ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(openType, ButtonType.CANCEL);
        TextField search = new TextField();
        search.setId("userSearch");
        search.setPromptText(i18n.t("dialog.dm.search"));
        ListView<UserSummary> results = userList(SelectionMode.SINGLE);
        results.setId("userResults");
        wireSearch(search, results);
        results.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2 && results.getSelectionModel().getSelectedItem() != null) {
                dialog.setResult(results.getSelectionModel().getSelectedItem());
                dialog.close();
            }
        });
        dialog.getDialogPane().lookupButton(openType).disableProperty()
                .bind(results.getSelectionModel().selectedItemProperty().isNull());
        dialog.getDialogPane().setContent(new VBox(8, search, results));
        dialog.setResultConverter(b -> b == openType ? results.getSelectionModel().getSelectedItem() : null);
        Platform.runLater(search::requestFocus);
        dialog.showAndWait().ifPresent(user -> handle(actions.openDm(user.id()), c -> open.accept(c.id())));
    }

    /** Create a group or a channel with a name, optional topic and initial members. */
    public void newGroup() {
        Dialog<Boolean> dialog = dialog(i18n.t("dialog.group.title"));
        ButtonType createType = new ButtonType(i18n.t("dialog.group.create"), ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(createType, ButtonType.CANCEL);
        ChoiceBox<ConversationKind> kind = new ChoiceBox<>(FXCollections.observableArrayList(
                ConversationKind.GROUP, ConversationKind.CHANNEL));
        kind.setId("groupKind");
        kind.setValue(ConversationKind.GROUP);
        kind.setConverter(new StringConverter<>() {
            @Override
            public String toString(ConversationKind k) {
                return k == null ? "" : i18n.t("kind." + k.name().toLowerCase(java.util.Locale.ROOT));
            }

            @Override
            public ConversationKind fromString(String s) {
                return null;
            }
        });
        TextField name = new TextField();
        name.setId("groupName");
        TextField topic = new TextField();
        topic.setId("groupTopic");
        TextField search = new TextField();
        search.setId("userSearch");
        search.setPromptText(i18n.t("dialog.dm.search"));
        ListView<UserSummary> results = userList(SelectionMode.MULTIPLE);
        results.setId("userResults");
        wireSearch(search, results);
        dialog.getDialogPane().lookupButton(createType).disableProperty().bind(name.textProperty().isEmpty());
        dialog.getDialogPane().setContent(new VBox(6,
                new Label(i18n.t("dialog.group.kind")), kind,
                new Label(i18n.t("dialog.group.name")), name,
                new Label(i18n.t("dialog.group.topic")), topic,
                new Label(i18n.t("dialog.group.members")), search, results));
        dialog.setResultConverter(b -> b == createType);
        Platform.runLater(name::requestFocus);
        if (dialog.showAndWait().orElse(false)) {
            List<Long> members = results.getSelectionModel().getSelectedItems().stream().map(UserSummary::id)
                    .toList();
            handle(actions.create(kind.getValue(), name.getText().strip(),
                    topic.getText().isBlank() ? null : topic.getText().strip(), members), c -> open.accept(c.id()));
        }
    }

    /** Members of a group or channel; admins add and remove; anyone may leave. */
    public void members(ConversationSummary conversation) {
        Dialog<Void> dialog = dialog(i18n.t("dialog.members.title", conversation.name()));
        dialog.getDialogPane().getButtonTypes().add(new ButtonType(i18n.t("dialog.close"),
                ButtonBar.ButtonData.CANCEL_CLOSE));
        boolean manage = conversation.role() != null && conversation.role().canManage();
        ObservableList<MemberInfo> members = FXCollections.observableArrayList(conversation.members());
        ListView<MemberInfo> memberList = new ListView<>(members);
        memberList.setId("memberList");
        memberList.setPrefHeight(180);
        memberList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(MemberInfo m, boolean empty) {
                super.updateItem(m, empty);
                setText(empty || m == null ? null : ConversationListViewModel.displayName(m.user()) + "  ("
                        + m.role().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        });
        Button remove = new Button(i18n.t("dialog.members.remove"));
        remove.setId("removeMember");
        remove.setDisable(true);
        memberList.getSelectionModel().selectedItemProperty().addListener((o, w, n) ->
                remove.setDisable(!manage || n == null || n.user().id() == actions.myId()));
        remove.setOnAction(e -> {
            MemberInfo m = memberList.getSelectionModel().getSelectedItem();
            handle(actions.removeMember(conversation.id(), m.user().id()), c -> members.setAll(c.members()));
        });
        Button leave = new Button(i18n.t("dialog.members.leave"));
        leave.setId("leaveConversation");
        leave.setOnAction(e -> {
            dialog.close();
            handle(actions.leave(conversation.id()), v -> { });
        });
        VBox content = new VBox(8, memberList, new HBox(8, remove, leave));
        if (manage) {
            TextField search = new TextField();
            search.setId("userSearch");
            search.setPromptText(i18n.t("dialog.dm.search"));
            ListView<UserSummary> results = userList(SelectionMode.MULTIPLE);
            results.setId("userResults");
            results.setPrefHeight(120);
            wireSearch(search, results);
            Button add = new Button(i18n.t("dialog.members.add"));
            add.setId("addMembers");
            add.setOnAction(e -> handle(actions.addMembers(conversation.id(),
                    results.getSelectionModel().getSelectedItems().stream().map(UserSummary::id).toList()),
                    c -> members.setAll(c.members())));
            content.getChildren().addAll(search, results, add);
        }
        if (conversation.kind() == ConversationKind.CHANNEL) {
            // Channel summaries carry no member list; fetch it.
            handle(actions.refresh(conversation.id()), c -> members.setAll(c.members()));
        }
        dialog.getDialogPane().setContent(content);
        dialog.showAndWait();
    }

    /** Public channels, with Join. */
    public void browseChannels() {
        Dialog<Void> dialog = dialog(i18n.t("dialog.channels.title"));
        dialog.getDialogPane().getButtonTypes().add(new ButtonType(i18n.t("dialog.close"),
                ButtonBar.ButtonData.CANCEL_CLOSE));
        ObservableList<ConversationSummary> channels = FXCollections.observableArrayList();
        ListView<ConversationSummary> list = new ListView<>(channels);
        list.setId("channelList");
        list.setPlaceholder(new Label(i18n.t("dialog.channels.none")));
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(ConversationSummary c, boolean empty) {
                super.updateItem(c, empty);
                if (empty || c == null) {
                    setGraphic(null);
                    return;
                }
                Label name = new Label("#" + c.name() + "  ·  " + c.memberCount()
                        + (c.topic() == null ? "" : "  ·  " + c.topic()));
                Region spacer = new Region();
                HBox.setHgrow(spacer, Priority.ALWAYS);
                Button join = new Button(c.role() == null ? i18n.t("dialog.channels.join")
                        : i18n.t("dialog.channels.joined"));
                join.setDisable(c.role() != null);
                join.setOnAction(e -> {
                    dialog.close();
                    handle(actions.join(c.id()), joined -> open.accept(joined.id()));
                });
                HBox row = new HBox(8, name, spacer, join);
                row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
                setGraphic(row);
            }
        });
        list.setOnKeyPressed(e -> {
            ConversationSummary c = list.getSelectionModel().getSelectedItem();
            if (e.getCode() == KeyCode.ENTER && c != null && c.role() == null) {
                dialog.close();
                handle(actions.join(c.id()), joined -> open.accept(joined.id()));
            }
        });
        handle(actions.channels(), channels::setAll);
        dialog.getDialogPane().setContent(list);
        dialog.getDialogPane().setPrefSize(460, 360);
        dialog.showAndWait();
    }

    private <T> Dialog<T> dialog(String title) {
        Dialog<T> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle(title);
        dialog.setHeaderText(null);
        dialog.getDialogPane().setPadding(new Insets(8));
        if (owner != null && owner.getScene() != null) {
            dialog.getDialogPane().getStylesheets().addAll(owner.getScene().getStylesheets());
        }
        return dialog;
    }

    private ListView<UserSummary> userList(SelectionMode mode) {
        ListView<UserSummary> list = new ListView<>();
        list.getSelectionModel().setSelectionMode(mode);
        list.setPrefHeight(200);
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(UserSummary u, boolean empty) {
                super.updateItem(u, empty);
                setText(empty || u == null ? null : ConversationListViewModel.displayName(u) + "  @" + u.username());
            }
        });
        return list;
    }

    private void wireSearch(TextField search, ListView<UserSummary> results) {
        Runnable run = () -> handle(actions.searchUsers(search.getText()), found -> {
            List<UserSummary> keep = List.copyOf(results.getSelectionModel().getSelectedItems());
            results.getItems().setAll(found);
            keep.forEach(k -> found.stream().filter(f -> f.id() == k.id()).findFirst()
                    .ifPresent(f -> results.getSelectionModel().select(f)));
        });
        search.textProperty().addListener((o, w, n) -> run.run());
        search.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DOWN) {
                results.requestFocus();
                if (results.getSelectionModel().isEmpty()) {
                    results.getSelectionModel().selectFirst();
                }
            }
        });
        run.run();
    }

    private <T> void handle(CompletableFuture<T> future, Consumer<T> onSuccess) {
        future.whenComplete((value, failure) -> Platform.runLater(() -> {
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                error.accept(cause.getMessage());
            } else {
                onSuccess.accept(value);
            }
        }));
    }
}
