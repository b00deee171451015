package dev.parley.desktop.settings;

import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.Limits;
import javafx.application.Platform;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Current password, new password twice. Enter submits when the form is complete; the dialog stays open (and cannot
 * be cancelled) while the relay answers, stays open on a refusal (with the reason), and closes once the password is
 * changed.
 */
final class ChangePasswordDialog {
    private final ChangePasswordViewModel vm;
    private final I18n i18n;
    private final Window owner;

    ChangePasswordDialog(ChangePasswordViewModel vm, I18n i18n, Window owner) {
        this.vm = vm;
        this.i18n = i18n;
        this.owner = owner;
    }

    void show() {
        Dialog<Void> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle(i18n.t("password.title"));
        ButtonType submit = new ButtonType(i18n.t("password.submit"), ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType(i18n.t("chat.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
        dialog.getDialogPane().getButtonTypes().addAll(submit, cancel);
        // Once sent, the change happens or is refused: closing meanwhile would hide which.
        dialog.getDialogPane().lookupButton(cancel).disableProperty().bind(vm.busyProperty());
        dialog.setOnCloseRequest(e -> {
            if (vm.busyProperty().get()) {
                e.consume();
            }
        });

        PasswordField current = field("currentPassword");
        current.textProperty().bindBidirectional(vm.currentProperty());
        PasswordField next = field("newPassword");
        next.textProperty().bindBidirectional(vm.newProperty());
        PasswordField repeat = field("repeatPassword");
        repeat.textProperty().bindBidirectional(vm.repeatProperty());
        Label rules = new Label(i18n.t("password.rules", Limits.MIN_PASSWORD_LENGTH));
        rules.getStyleClass().add("muted");
        Label hint = new Label();
        hint.setId("passwordHint");
        hint.getStyleClass().add("muted");
        hint.textProperty().bind(vm.hint());
        Label error = new Label();
        error.setId("passwordError");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());

        Node submitButton = dialog.getDialogPane().lookupButton(submit);
        submitButton.setId("submitPassword");
        submitButton.disableProperty().bind(vm.canSubmit().not());
        // The dialog would close on its own; it waits for the relay instead, and stays open on a refusal.
        submitButton.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            vm.submit();
        });
        vm.changedProperty().addListener((o, was, now) -> {
            if (now) {
                dialog.close();
            }
        });
        current.disableProperty().bind(vm.busyProperty());
        next.disableProperty().bind(vm.busyProperty());
        repeat.disableProperty().bind(vm.busyProperty());

        VBox form = new VBox(6,
                new Label(i18n.t("password.current")), current,
                new Label(i18n.t("password.new")), next,
                new Label(i18n.t("password.repeat")), repeat,
                rules, hint, error);
        form.setPadding(new Insets(8));
        dialog.getDialogPane().setContent(form);
        dialog.getDialogPane().setPrefWidth(380);
        Platform.runLater(current::requestFocus);
        dialog.showAndWait();
    }

    private static PasswordField field(String id) {
        PasswordField field = new PasswordField();
        field.setId(id);
        return field;
    }
}
