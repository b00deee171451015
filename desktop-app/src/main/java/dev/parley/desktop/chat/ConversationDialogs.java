package dev.parley.desktop.chat;

import dev.parley.desktop.ui.I18n;
import dev.parley.desktop.ui.Refusals;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.MemberInfo;
import dev.parley.protocol.MemberRole;
import dev.parley.protocol.UserSummary;
import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * New DM, new group/channel, a group's or channel's details (name, topic, members, roles), and the channel browser.
 * Each opens a conversation it created or joined.
 */
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
        dialog.getDialogPane().getButtonTypes().addAll(openType, cancel());
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
        // Enter in the search opens the one person found (with several, Down then Enter picks one).
        search.setOnAction(e -> {
            if (results.getItems().size() == 1) {
                dialog.setResult(results.getItems().getFirst());
                dialog.close();
            }
        });
        dialog.getDialogPane().lookupButton(openType).disableProperty()
                .bind(results.getSelectionModel().selectedItemProperty().isNull());
        // The prompt text disappears while the field has the focus, which it has from the start: say what it is for.
        dialog.getDialogPane().setContent(new VBox(8, new Label(i18n.t("dialog.dm.search")), search, results));
        dialog.setResultConverter(b -> b == openType ? results.getSelectionModel().getSelectedItem() : null);
        Platform.runLater(search::requestFocus);
        dialog.showAndWait().ifPresent(user -> handle(actions.openDm(user.id()), c -> open.accept(c.id())));
    }

    /** Create a group or a channel with a name, optional topic and initial members. */
    public void newGroup() {
        Dialog<Boolean> dialog = dialog(i18n.t("dialog.group.title"));
        ButtonType createType = new ButtonType(i18n.t("dialog.group.create"), ButtonBar.ButtonData.OK_DONE);
        dialog.getDialogPane().getButtonTypes().addAll(createType, cancel());
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

    /**
     * The details of a group or channel: managers change its name, topic and (channels) who may post, and add and
     * remove members; the owner sets roles and hands ownership over; anyone may leave, except the owner while
     * others remain (the dialog says why instead of letting the relay refuse).
     */
    public void details(ConversationSummary conversation) {
        ConversationDetailsViewModel vm = actions.details(conversation.id(), i18n, Platform::runLater);
        Dialog<Void> dialog = dialog(i18n.t("details.title", conversation.kind() == ConversationKind.CHANNEL
                ? "#" + conversation.name() : conversation.name()));
        dialog.getDialogPane().getButtonTypes().add(new ButtonType(i18n.t("dialog.close"),
                ButtonBar.ButtonData.CANCEL_CLOSE));

        TextField name = new TextField();
        name.setId("detailsName");
        name.textProperty().bindBidirectional(vm.nameProperty());
        TextField topic = new TextField();
        topic.setId("detailsTopic");
        topic.setPromptText(i18n.t("details.topicPrompt"));
        topic.textProperty().bindBidirectional(vm.topicProperty());
        CheckBox adminsOnly = new CheckBox(i18n.t("details.adminsOnly"));
        adminsOnly.setId("detailsAdminsOnly");
        adminsOnly.selectedProperty().bindBidirectional(vm.adminsOnlyProperty());
        adminsOnly.visibleProperty().bind(vm.channelProperty());
        adminsOnly.managedProperty().bind(adminsOnly.visibleProperty());
        for (javafx.scene.control.Control field : List.of(name, topic, adminsOnly)) {
            field.disableProperty().bind(vm.canEditProperty().not());
        }
        Button save = new Button(i18n.t("details.save"));
        save.setId("detailsSave");
        save.setDefaultButton(true);
        save.disableProperty().bind(vm.canSaveProperty().not());
        save.visibleProperty().bind(vm.canEditProperty());
        save.managedProperty().bind(save.visibleProperty());
        // The button disables itself once saved: the keyboard goes back to the form rather than to a dead button.
        save.setOnAction(e -> vm.save().thenRun(name::requestFocus));
        Label problem = new Label();
        problem.setId("detailsProblem");
        problem.getStyleClass().add("error-text");
        problem.textProperty().bind(vm.problemProperty());
        problem.visibleProperty().bind(vm.problemProperty().isNotNull().and(vm.canEditProperty()));
        problem.managedProperty().bind(problem.visibleProperty());
        Label status = new Label();
        status.setId("detailsStatus");
        status.getStyleClass().add("muted");
        status.textProperty().bind(vm.statusProperty());
        Label readOnly = new Label(i18n.t("details.readOnly"));
        readOnly.getStyleClass().add("muted");
        readOnly.visibleProperty().bind(vm.canEditProperty().not());
        readOnly.managedProperty().bind(readOnly.visibleProperty());
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label(i18n.t("details.name")), name);
        form.addRow(1, new Label(i18n.t("details.topic")), topic);
        GridPane.setHgrow(name, Priority.ALWAYS);
        GridPane.setHgrow(topic, Priority.ALWAYS);
        HBox saveRow = new HBox(8, save, status);
        saveRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        ListView<MemberInfo> memberList = new ListView<>(vm.members());
        memberList.setId("memberList");
        memberList.setPrefHeight(170);
        memberList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(MemberInfo m, boolean empty) {
                super.updateItem(m, empty);
                setText(empty || m == null ? null : ConversationListViewModel.displayName(m.user()) + "  @"
                        + m.user().username() + "  ·  " + i18n.t("details.role."
                        + m.role().name().toLowerCase(Locale.ROOT)));
            }
        });
        Label membersHeading = new Label();
        membersHeading.getStyleClass().add("section-title");
        membersHeading.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> i18n.t("details.members", vm.members().size()), vm.members()));
        Button makeAdmin = new Button(i18n.t("details.makeAdmin"));
        makeAdmin.setId("makeAdmin");
        Button makeMember = new Button(i18n.t("details.makeMember"));
        makeMember.setId("makeMember");
        Button makeOwner = new Button(i18n.t("details.makeOwner"));
        makeOwner.setId("makeOwner");
        Button remove = new Button(i18n.t("dialog.members.remove"));
        remove.setId("removeMember");
        Runnable updateMemberButtons = () -> {
            MemberInfo m = memberList.getSelectionModel().getSelectedItem();
            List<MemberRole> choices = m == null ? List.of() : vm.roleChoices(m);
            showIf(makeAdmin, choices.contains(MemberRole.ADMIN));
            showIf(makeMember, choices.contains(MemberRole.MEMBER));
            showIf(makeOwner, choices.contains(MemberRole.OWNER));
            showIf(remove, m != null && vm.canRemove(m));
        };
        // A refreshed list (someone's role changed) keeps the selected person selected.
        long[] selectedId = {0};
        memberList.getSelectionModel().selectedItemProperty().addListener((o, w, n) -> {
            if (n != null) {
                selectedId[0] = n.user().id();
            }
            updateMemberButtons.run();
        });
        vm.members().addListener((ListChangeListener<MemberInfo>) change -> vm.members().stream()
                .filter(m -> m.user().id() == selectedId[0]).findFirst()
                .ifPresent(m -> memberList.getSelectionModel().select(m)));
        vm.conversationProperty().addListener((o, w, n) -> updateMemberButtons.run());
        vm.ownerProperty().addListener((o, w, n) -> updateMemberButtons.run());
        vm.canEditProperty().addListener((o, w, n) -> updateMemberButtons.run());
        updateMemberButtons.run();
        makeAdmin.setOnAction(e -> selected(memberList, m -> vm.setRole(m, MemberRole.ADMIN)));
        makeMember.setOnAction(e -> selected(memberList, m -> vm.setRole(m, MemberRole.MEMBER)));
        makeOwner.setOnAction(e -> selected(memberList, m -> {
            Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, i18n.t("details.makeOwner.confirm",
                    ConversationListViewModel.displayName(m.user())), ButtonType.OK, cancel());
            confirm.initOwner(dialog.getDialogPane().getScene().getWindow());
            confirm.setHeaderText(null);
            confirm.setTitle(i18n.t("details.makeOwner"));
            if (confirm.showAndWait().filter(b -> b == ButtonType.OK).isPresent()) {
                vm.setRole(m, MemberRole.OWNER);
            }
        }));
        remove.setOnAction(e -> selected(memberList, vm::remove));
        for (Button b : List.of(makeAdmin, makeMember, makeOwner, remove)) {
            b.disableProperty().bind(vm.busyProperty());
        }
        FlowPane memberActions = new FlowPane(8, 6, makeAdmin, makeMember, makeOwner, remove);

        TextField search = new TextField();
        search.setId("userSearch");
        search.setPromptText(i18n.t("dialog.dm.search"));
        ListView<UserSummary> results = userList(SelectionMode.MULTIPLE);
        results.setId("userResults");
        results.setPrefHeight(90);
        Button add = new Button(i18n.t("dialog.members.add"));
        add.setId("addMembers");
        add.disableProperty().bind(vm.busyProperty()
                .or(javafx.beans.binding.Bindings.isEmpty(results.getSelectionModel().getSelectedItems())));
        add.setOnAction(e -> vm.addMembers(results.getSelectionModel().getSelectedItems().stream()
                .map(UserSummary::id).toList()).thenRun(() -> results.getSelectionModel().clearSelection()));
        Label addHeading = new Label(i18n.t("details.addPeople"));
        VBox adding = new VBox(6, addHeading, search, results, add);
        adding.visibleProperty().bind(vm.canEditProperty());
        adding.managedProperty().bind(adding.visibleProperty());
        Runnable searchAgain = wireSearch(search, results,
                user -> vm.members().stream().noneMatch(m -> m.user().id() == user.id()));
        // Whoever was just added drops out of the people offered, whoever was removed comes back; a change of role
        // or read position is no reason to search again.
        Set<Long> memberIds = new HashSet<>(ids(vm.members()));
        vm.members().addListener((ListChangeListener<MemberInfo>) change -> {
            Set<Long> now = ids(vm.members());
            if (!now.equals(memberIds)) {
                memberIds.clear();
                memberIds.addAll(now);
                searchAgain.run();
            }
        });

        Button leave = new Button(i18n.t("dialog.members.leave"));
        leave.setId("leaveConversation");
        leave.setOnAction(e -> vm.leave().thenRun(dialog::close));
        Label leaveHint = new Label(i18n.t("details.error.ownerLeaves"));
        leaveHint.setId("leaveHint");
        leaveHint.getStyleClass().add("muted");
        leaveHint.setWrapText(true);
        leaveHint.setMinHeight(Region.USE_PREF_SIZE);
        Runnable updateLeave = () -> {
            leave.setDisable(vm.busyProperty().get() || vm.leaveBlocked());
            showIf(leave, vm.memberProperty().get());
            showIf(leaveHint, vm.leaveBlocked());
        };
        vm.conversationProperty().addListener((o, w, n) -> updateLeave.run());
        vm.ownerProperty().addListener((o, w, n) -> updateLeave.run());
        vm.busyProperty().addListener((o, w, n) -> updateLeave.run());
        updateLeave.run();

        Label error = new Label();
        error.setId("detailsError");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.setMinHeight(Region.USE_PREF_SIZE);
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotNull());
        error.managedProperty().bind(error.visibleProperty());

        // Two columns, so the dialog stays short enough for a laptop screen: the conversation on the left, its
        // members on the right.
        CheckBox mute = new CheckBox(i18n.t("details.mute"));
        mute.setId("detailsMute");
        mute.selectedProperty().bindBidirectional(vm.mutedProperty());
        Region push = new Region();
        VBox.setVgrow(push, Priority.ALWAYS);
        VBox about = new VBox(8, form, adminsOnly, readOnly, problem, saveRow, new Separator(), mute, push,
                new Separator(), leave, leaveHint, error);
        about.setMinWidth(360);
        about.setPrefWidth(360);
        VBox people = new VBox(8, membersHeading, memberList, memberActions, adding);
        people.setMinWidth(400);
        people.setPrefWidth(400);
        HBox content = new HBox(16, about, new Separator(javafx.geometry.Orientation.VERTICAL), people);
        dialog.getDialogPane().setContent(content);
        dialog.setOnHidden(e -> vm.close());
        vm.load();
        Platform.runLater(() -> (vm.canEditProperty().get() ? name : memberList).requestFocus());
        dialog.showAndWait();
    }

    private static Set<Long> ids(List<MemberInfo> members) {
        return members.stream().map(m -> m.user().id()).collect(Collectors.toSet());
    }

    private static void showIf(javafx.scene.Node node, boolean shown) {
        node.setVisible(shown);
        node.setManaged(shown);
    }

    private static void selected(ListView<MemberInfo> list, Consumer<MemberInfo> action) {
        MemberInfo m = list.getSelectionModel().getSelectedItem();
        if (m != null) {
            action.accept(m);
        }
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

    /** JavaFX's own Cancel is worded once, in the system's language, not in the one chosen in Settings. */
    private ButtonType cancel() {
        return new ButtonType(i18n.t("chat.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
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
        wireSearch(search, results, user -> true);
    }

    /** Searches as the user types; only people {@code offered} accepts are listed. Returns "search again". */
    private Runnable wireSearch(TextField search, ListView<UserSummary> results, Predicate<UserSummary> offered) {
        Runnable run = () -> {
            String query = search.getText();
            // One request per keystroke, answered in any order: only the answer for what the field holds now
            // may fill the list (and only its failure is worth a word).
            BooleanSupplier current = () -> Objects.equals(query, search.getText());
            handle(actions.searchUsers(query), current, all -> {
                List<UserSummary> found = all.stream().filter(offered).toList();
                List<UserSummary> keep = List.copyOf(results.getSelectionModel().getSelectedItems());
                results.getItems().setAll(found);
                keep.forEach(k -> found.stream().filter(f -> f.id() == k.id()).findFirst()
                        .ifPresent(f -> results.getSelectionModel().select(f)));
            });
        };
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
        return run;
    }

    private <T> void handle(CompletableFuture<T> future, Consumer<T> onSuccess) {
        handle(future, () -> true, onSuccess);
    }

    /** Like {@link #handle(CompletableFuture, Consumer)}, but an answer no longer {@code wanted} is dropped. */
    private <T> void handle(CompletableFuture<T> future, BooleanSupplier wanted, Consumer<T> onSuccess) {
        future.whenComplete((value, failure) -> Platform.runLater(() -> {
            if (!wanted.getAsBoolean()) {
                return;
            }
            if (failure != null) {
                error.accept(Refusals.describe(i18n, failure, "details.error.offline"));
            } else {
                onSuccess.accept(value);
            }
        }));
    }
}
