package dev.parley.desktop.call;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Choose camera, microphone and speaker for the next call, with a live picture of the camera and a level meter of
 * the microphone ({@link DeviceViewModel}); both stop when the dialog closes. An engine without real audio offers no
 * microphones or speakers.
 */
public final class DeviceDialog {
    private final DeviceViewModel vm;
    private final CallText text;

    public DeviceDialog(DeviceViewModel vm, CallText text) {
        this.vm = vm;
        this.text = text;
    }

    /** Opens the dialog for {@code engine}; previews open and close on a thread of the dialog's own. */
    static void show(Window owner, CallEngine engine, CallText text, java.util.concurrent.Executor ui) {
        ExecutorService previewThread = Executors.newSingleThreadExecutor(Thread.ofPlatform()
                .name("parley-device-preview").daemon(true).factory());
        DeviceViewModel vm = new DeviceViewModel(engine, ui, previewThread);
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle(text.t("call.devices"));
        dialog.getDialogPane().setContent(new DeviceDialog(vm, text).build());
        // JavaFX's own Cancel is worded in the system's language, not in the one chosen in Settings.
        dialog.getDialogPane().getButtonTypes().addAll(ButtonType.OK,
                new ButtonType(text.t("call.devices.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE));
        dialog.setOnHidden(e -> {
            vm.close();
            previewThread.shutdown();
        });
        vm.open();
        dialog.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> vm.apply());
    }

    /** The dialog's content (also used by tests and screenshots). */
    public Parent build() {
        ComboBox<MediaDevice> camera = box(vm.cameras());
        camera.setId("cameraChoice");
        camera.valueProperty().bindBidirectional(vm.cameraProperty());
        ComboBox<MediaDevice> mic = box(vm.microphones());
        mic.setId("microphoneChoice");
        mic.valueProperty().bindBidirectional(vm.microphoneProperty());
        ComboBox<MediaDevice> speaker = box(vm.speakers());
        speaker.setId("speakerChoice");
        speaker.valueProperty().bindBidirectional(vm.speakerProperty());

        VideoSurface preview = new VideoSurface();
        preview.setId("cameraPreview");
        preview.setFitWidth(320);
        preview.setFitHeight(240);
        vm.previewFrameProperty().addListener((o, was, now) -> preview.show(now));
        Label noPicture = new Label(text.t("call.devices.noPicture"));
        noPicture.setStyle("-fx-text-fill: #c8cbd2;");
        noPicture.visibleProperty().bind(vm.previewFrameProperty().isNull());
        StackPane picture = new StackPane(noPicture, preview);
        picture.setMinSize(320, 240);
        picture.setMaxSize(320, 240);
        picture.setStyle("-fx-background-color: #1d1f24;");

        ProgressBar level = new ProgressBar();
        level.setId("micLevel");
        level.progressProperty().bind(vm.levelProperty());
        level.setPrefWidth(280);

        GridPane grid = new GridPane(10, 10);
        grid.addRow(0, new Label(text.t("call.devices.camera")), camera);
        grid.addRow(1, new Label(text.t("call.devices.microphone")), mic);
        grid.addRow(2, new Label(text.t("call.devices.level")), level);
        grid.addRow(3, new Label(text.t("call.devices.speaker")), speaker);
        VBox root = new VBox(12, picture, grid);
        root.setAlignment(Pos.TOP_CENTER);
        root.setPadding(new Insets(16));
        root.setId("deviceDialog");
        return root;
    }

    private ComboBox<MediaDevice> box(javafx.collections.ObservableList<MediaDevice> devices) {
        ComboBox<MediaDevice> box = new ComboBox<>(devices);
        box.setConverter(new StringConverter<>() {
            @Override
            public String toString(MediaDevice d) {
                return d == null ? text.t("call.devices.default") : d.name();
            }

            @Override
            public MediaDevice fromString(String s) {
                return null;
            }
        });
        box.setPromptText(text.t("call.devices.default"));
        box.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(devices));
        box.setPrefWidth(280);
        return box;
    }
}
