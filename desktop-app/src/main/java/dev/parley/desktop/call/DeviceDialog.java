package dev.parley.desktop.call;

import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * Choose camera, microphone and speaker for the next call. The lists are read off the FX thread (device
 * enumeration is native and can be slow); an engine without real audio offers no microphones or speakers.
 */
final class DeviceDialog {
    private DeviceDialog() {
    }

    static void show(Window owner, CallEngine engine, Executor background, Executor ui) {
        background.execute(() -> {
            List<MediaDevice> cameras = engine.cameras();
            List<MediaDevice> mics = engine.microphones();
            List<MediaDevice> speakers = engine.speakers();
            ui.execute(() -> open(owner, engine, cameras, mics, speakers));
        });
    }

    private static void open(Window owner, CallEngine engine, List<MediaDevice> cameras, List<MediaDevice> mics,
                             List<MediaDevice> speakers) {
        ComboBox<MediaDevice> camera = box(cameras);
        ComboBox<MediaDevice> mic = box(mics);
        ComboBox<MediaDevice> speaker = box(speakers);
        GridPane grid = new GridPane(10, 10);
        grid.setPadding(new Insets(16));
        grid.addRow(0, new Label("Camera"), camera);
        grid.addRow(1, new Label("Microphone"), mic);
        grid.addRow(2, new Label("Speaker"), speaker);
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle("Devices");
        dialog.getDialogPane().setContent(grid);
        dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        dialog.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> engine.choose(camera.getValue(),
                mic.getValue(), speaker.getValue()));
    }

    private static ComboBox<MediaDevice> box(List<MediaDevice> devices) {
        ComboBox<MediaDevice> box = new ComboBox<>(FXCollections.observableArrayList(devices));
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(MediaDevice d) {
                return d == null ? "System default" : d.name();
            }

            @Override
            public MediaDevice fromString(String s) {
                return null;
            }
        });
        box.setDisable(devices.isEmpty());
        box.setPrefWidth(280);
        return box;
    }
}
