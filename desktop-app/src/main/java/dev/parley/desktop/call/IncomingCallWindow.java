package dev.parley.desktop.call;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.media.AudioClip;
import javafx.stage.Stage;
import javafx.stage.StageStyle;

import java.nio.file.Path;

/**
 * The ringing window: who calls, Accept and Decline, and the generated ringtone on repeat. A stage of its own with
 * no owner and always on top, so it appears even while the main window is minimised.
 */
public final class IncomingCallWindow {
    private final CallViewModel vm;
    private final Path ringtone;
    private Stage stage;
    private AudioClip ring;

    /** {@code ringtone} is a WAV file (see {@link Ringtone}); null for silence (tests). */
    public IncomingCallWindow(CallViewModel vm, Path ringtone) {
        this.vm = vm;
        this.ringtone = ringtone;
    }

    public Parent build() {
        CallText t = vm.text();
        Label icon = new Label("\u260E");
        icon.setStyle("-fx-font-size: 40px; -fx-text-fill: #2e7d32;");
        Label who = new Label();
        who.setId("incomingTitle");
        who.textProperty().bind(vm.titleProperty());
        who.setStyle("-fx-font-size: 16px; -fx-font-weight: bold;");
        who.setWrapText(true);
        Button accept = new Button(t.t("call.accept"));
        accept.setId("acceptButton");
        accept.setDefaultButton(true);
        accept.setStyle("-fx-background-color: #2e7d32; -fx-text-fill: white; -fx-font-size: 14px;");
        accept.setOnAction(e -> vm.accept());
        Button decline = new Button(t.t("call.decline"));
        decline.setId("declineButton");
        decline.setCancelButton(true);
        decline.setStyle("-fx-background-color: #c62828; -fx-text-fill: white; -fx-font-size: 14px;");
        decline.setOnAction(e -> vm.decline());
        HBox buttons = new HBox(16, accept, decline);
        buttons.setAlignment(Pos.CENTER);
        VBox root = new VBox(14, icon, who, buttons);
        root.setAlignment(Pos.CENTER);
        root.setPadding(new Insets(20));
        root.setId("incomingCall");
        root.setStyle("-fx-background-color: white;");
        return root;
    }

    public void show() {
        if (stage == null) {
            stage = new Stage(StageStyle.UTILITY);
            stage.setAlwaysOnTop(true);
            stage.setScene(new Scene(build(), 360, 200));
            stage.setOnCloseRequest(e -> vm.decline());
        }
        stage.titleProperty().bind(vm.titleProperty());
        stage.show();
        stage.toFront();
        if (ringtone != null) {
            try {
                ring = new AudioClip(ringtone.toUri().toString());
                ring.setCycleCount(AudioClip.INDEFINITE);
                ring.play();
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                // No audio output (or no media support): ring silently, the window is the signal.
                ring = null;
            }
        }
    }

    public void hide() {
        if (ring != null) {
            ring.stop();
            ring = null;
        }
        if (stage != null) {
            stage.hide();
        }
    }
}
