package dev.parley.desktop.settings;

import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.api.SessionInfo;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.text.DateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;

/** The settings window: the password, language, theme, devices, sign out. */
public final class SettingsDialog {
    private final SettingsViewModel vm;
    private final I18n i18n;
    private final Window owner;

    public SettingsDialog(SettingsViewModel vm, I18n i18n, Window owner) {
        this.vm = vm;
        this.i18n = i18n;
        this.owner = owner;
    }

    public void show() {
        Dialog<Void> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle(i18n.t("settings.title"));
        dialog.getDialogPane().getButtonTypes().add(new ButtonType(i18n.t("dialog.close"),
                ButtonBar.ButtonData.CANCEL_CLOSE));

        String[] account = vm.account().split("\\|", 2);
        Label who = new Label(i18n.t("settings.account", account[0], account[1]));

        ChoiceBox<String> language = new ChoiceBox<>(FXCollections.observableArrayList("", "en", "de"));
        language.setId("languageChoice");
        language.setConverter(new StringConverter<>() {
            @Override
            public String toString(String tag) {
                if (tag == null || tag.isEmpty()) {
                    return i18n.t("settings.language.system");
                }
                return tag.equals("de") ? "Deutsch" : "English";
            }

            @Override
            public String fromString(String s) {
                return null;
            }
        });
        language.setValue(vm.language().map(Locale::getLanguage).orElse(""));

        ChoiceBox<Settings.Theme> theme = new ChoiceBox<>(FXCollections.observableArrayList(Settings.Theme.values()));
        theme.setId("themeChoice");
        theme.setConverter(new StringConverter<>() {
            @Override
            public String toString(Settings.Theme t) {
                return t == null ? "" : i18n.t("settings.theme." + t.name().toLowerCase(Locale.ROOT));
            }

            @Override
            public Settings.Theme fromString(String s) {
                return null;
            }
        });
        theme.setValue(vm.theme());
        theme.valueProperty().addListener((o, w, n) -> vm.theme(n));

        DateFormat format = DateFormat.getDateTimeInstance(DateFormat.MEDIUM, DateFormat.SHORT, i18n.locale());
        ListView<SessionInfo> devices = new ListView<>(vm.sessions());
        devices.setId("devices");
        devices.setPrefHeight(160);
        devices.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(SessionInfo s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null) {
                    setText(null);
                    return;
                }
                String name = s.deviceName() == null ? "?" : s.deviceName();
                String os = s.os() == null ? "" : " (" + s.os() + ")";
                String tags = (s.current() ? " · " + i18n.t("settings.device.current") : "")
                        + (s.online() ? " · " + i18n.t("settings.device.online") : "");
                setText(name + os + tags + " · " + format.format(new Date(s.lastSeen())));
            }
        });
        Button revoke = new Button(i18n.t("settings.device.revoke"));
        revoke.setId("revokeDevice");
        revoke.disableProperty().bind(devices.getSelectionModel().selectedItemProperty().isNull());
        revoke.setOnAction(e -> {
            SessionInfo s = devices.getSelectionModel().getSelectedItem();
            if (s.current()) {
                dialog.close();
            }
            vm.revoke(s);
        });
        Button signOut = new Button(i18n.t("settings.signOut"));
        signOut.setId("signOut");
        signOut.getStyleClass().add("danger");
        signOut.setOnAction(e -> {
            dialog.close();
            vm.signOut();
        });
        Label error = new Label();
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.errorProperty());
        Button changePassword = new Button(i18n.t("settings.changePassword"));
        changePassword.setId("changePassword");
        changePassword.setOnAction(e -> new ChangePasswordDialog(vm.changePassword(), i18n,
                dialog.getDialogPane().getScene().getWindow()).show());
        Label passwordChanged = new Label(i18n.t("settings.passwordChanged"));
        passwordChanged.setId("passwordChanged");
        passwordChanged.setWrapText(true);
        passwordChanged.visibleProperty().bind(vm.passwordChangedProperty());
        passwordChanged.managedProperty().bind(passwordChanged.visibleProperty());

        VBox content = new VBox(8, who, changePassword, passwordChanged,
                new Label(i18n.t("settings.language")), language,
                new Label(i18n.t("settings.theme")), theme,
                new Label(i18n.t("settings.devices")), devices, new HBox(8, revoke, signOut), error);
        content.setPadding(new Insets(8));
        dialog.getDialogPane().setContent(content);
        dialog.getDialogPane().setPrefWidth(480);
        vm.opened();
        dialog.showAndWait();
        // Switching language rebuilds the window, so it is applied after the dialog closed.
        String chosen = language.getValue();
        vm.language(chosen == null || chosen.isEmpty() ? Optional.empty() : Optional.of(Locale.forLanguageTag(chosen)));
    }
}
