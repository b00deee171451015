package dev.parley.desktop.login;

import dev.parley.desktop.discovery.DiscoveredRelay;
import dev.parley.desktop.ui.I18n;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The sign-in screen: relays found on the LAN, the address field, credentials, sign in / create account. */
public final class LoginView {
    private final LoginViewModel vm;
    private final I18n i18n;

    public LoginView(LoginViewModel vm, I18n i18n) {
        this.vm = vm;
        this.i18n = i18n;
    }

    public Parent build() {
        Label title = new Label(i18n.t("app.title"));
        title.getStyleClass().add("app-title");
        Label heading = new Label(i18n.t("login.subtitle"));
        heading.getStyleClass().add("muted");

        Label discoveredLabel = new Label(i18n.t("login.discovered"));
        ListView<DiscoveredRelay> discovered = new ListView<>(vm.discovered());
        discovered.setId("discovered");
        discovered.setPrefHeight(84);
        discovered.setPlaceholder(new Label(i18n.t("login.discovered.none")));
        discovered.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(DiscoveredRelay relay, boolean empty) {
                super.updateItem(relay, empty);
                setText(empty || relay == null ? null : relay.name() + "  —  " + relay.url());
            }
        });
        discovered.getSelectionModel().selectedItemProperty().addListener((obs, was, now) -> vm.choose(now));

        TextField relay = field("relayUrl", i18n.t("login.relay.prompt"));
        relay.textProperty().bindBidirectional(vm.relayUrlProperty());
        TextField username = field("username", null);
        username.textProperty().bindBidirectional(vm.usernameProperty());
        PasswordField password = new PasswordField();
        password.setId("password");
        password.textProperty().bindBidirectional(vm.passwordProperty());
        TextField displayName = field("displayName", null);
        displayName.textProperty().bindBidirectional(vm.displayNameProperty());
        Label displayLabel = new Label(i18n.t("login.displayName"));
        displayLabel.setLabelFor(displayName);
        VBox displayBox = new VBox(4, displayLabel, displayName);
        displayBox.visibleProperty().bind(vm.registerModeProperty());
        displayBox.managedProperty().bind(vm.registerModeProperty());

        Button submit = new Button();
        submit.setId("submit");
        submit.setDefaultButton(true);
        submit.setMaxWidth(Double.MAX_VALUE);
        submit.getStyleClass().add("accent");
        submit.textProperty().bind(Bindings.when(vm.registerModeProperty())
                .then(i18n.t("login.register")).otherwise(i18n.t("login.signIn")));
        submit.disableProperty().bind(vm.busyProperty());
        submit.setOnAction(e -> vm.submit());

        Hyperlink toggle = new Hyperlink();
        toggle.setId("modeToggle");
        toggle.textProperty().bind(Bindings.when(vm.registerModeProperty())
                .then(i18n.t("login.toSignIn")).otherwise(i18n.t("login.toRegister")));
        toggle.setOnAction(e -> vm.toggleMode());

        Label error = new Label();
        error.setId("loginError");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        ProgressIndicator progress = new ProgressIndicator();
        progress.setPrefSize(18, 18);
        progress.visibleProperty().bind(vm.busyProperty());
        progress.managedProperty().bind(vm.busyProperty());
        HBox actions = new HBox(8, submit, progress);
        actions.setAlignment(Pos.CENTER_LEFT);
        javafx.scene.layout.HBox.setHgrow(submit, javafx.scene.layout.Priority.ALWAYS);

        VBox card = new VBox(title, heading, discoveredLabel, discovered,
                labelled("login.relay", relay), labelled("login.username", username),
                labelled("login.password", password), displayBox, error, actions, toggle);
        card.getStyleClass().add("login-card");
        card.setMaxHeight(javafx.scene.layout.Region.USE_PREF_SIZE);

        // Enter in any field submits; the default button covers most cases, this covers the list too.
        card.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && e.getTarget() == discovered) {
                vm.choose(discovered.getSelectionModel().getSelectedItem());
                username.requestFocus();
            }
        });

        StackPane root = new StackPane(card);
        root.getStyleClass().add("login-pane");
        root.setId("loginView");
        javafx.application.Platform.runLater(() -> (vm.relayUrlProperty().get().isBlank() ? relay : username)
                .requestFocus());
        return root;
    }

    private static TextField field(String id, String prompt) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        return field;
    }

    private VBox labelled(String key, javafx.scene.control.Control control) {
        Label label = new Label(i18n.t(key));
        label.setLabelFor(control);
        return new VBox(4, label, control);
    }
}
