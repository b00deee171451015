package dev.parley.desktop.call;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.util.function.Supplier;

/**
 * The call window: the other side's video filling it, the self view in a corner, title and timer on top, the
 * quality line, a red "you are sharing your screen" banner while sharing, and mute/video/camera/share/hang-up
 * controls. The remote surface shows while frames arrive, so it follows the other side switching video on and off.
 */
public final class CallWindow {
    /** Switches between audio and video (Ctrl+Shift+V; Cmd on macOS). */
    static final KeyCombination TOGGLE_VIDEO = new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN,
            KeyCombination.SHIFT_DOWN);

    private final CallViewModel vm;
    private final Supplier<ScreenSource> screen;
    private Stage stage;
    private Timeline ticker;

    public CallWindow(CallViewModel vm, Supplier<ScreenSource> screen) {
        this.vm = vm;
        this.screen = screen;
    }

    /** The window's content (also used by screenshot tests). */
    public Parent build() {
        CallText t = vm.text();
        VideoSurface remote = new VideoSurface();
        remote.setId("remoteVideo");
        VideoSurface local = new VideoSurface();
        local.setId("localVideo");
        local.setFitWidth(180);
        vm.remoteFrameProperty().addListener((o, was, now) -> remote.show(now));
        vm.localFrameProperty().addListener((o, was, now) -> local.show(now));

        // While the other side sends no video (an audio call, or it switched its camera off): a phone instead.
        Label noVideo = new Label("\u260E");
        noVideo.setId("noRemoteVideo");
        noVideo.setStyle("-fx-font-size: 96px; -fx-text-fill: #5a5f6b;");
        noVideo.visibleProperty().bind(vm.remoteVideoProperty().not());
        StackPane videoArea = new StackPane(noVideo, remote, local);
        videoArea.setStyle("-fx-background-color: #1d1f24;");
        videoArea.setMinSize(320, 240);
        remote.fitWidthProperty().bind(videoArea.widthProperty());
        remote.fitHeightProperty().bind(videoArea.heightProperty());
        StackPane.setAlignment(local, Pos.BOTTOM_RIGHT);
        StackPane.setMargin(local, new Insets(12));
        remote.visibleProperty().bind(vm.remoteVideoProperty());
        local.visibleProperty().bind(vm.videoProperty().or(vm.sharingProperty()));

        Label title = new Label();
        title.setId("callTitle");
        title.textProperty().bind(vm.titleProperty());
        title.setStyle("-fx-font-size: 16px; -fx-font-weight: bold; -fx-text-fill: white;");
        Label timer = new Label();
        timer.setId("callTimer");
        timer.textProperty().bind(vm.timerProperty());
        timer.setStyle("-fx-font-size: 16px; -fx-text-fill: #9fe0a8;");
        HBox top = new HBox(12, title, timer);
        top.setPadding(new Insets(10, 14, 10, 14));
        top.setStyle("-fx-background-color: #2b2e35;");

        Label sharing = new Label(t.t("call.sharing"));
        sharing.setId("sharingBanner");
        sharing.setMaxWidth(Double.MAX_VALUE);
        sharing.setAlignment(Pos.CENTER);
        sharing.setStyle("-fx-background-color: #c62828; -fx-text-fill: white; -fx-font-weight: bold;"
                + " -fx-padding: 6;");
        sharing.visibleProperty().bind(vm.sharingProperty());
        sharing.managedProperty().bind(sharing.visibleProperty());

        Label quality = new Label();
        quality.setId("callQuality");
        quality.textProperty().bind(vm.qualityProperty());
        quality.setStyle("-fx-text-fill: #c8cbd2; -fx-font-size: 11px;");

        Button mute = new Button();
        mute.setId("muteButton");
        mute.textProperty().bind(vm.mutedProperty().map(m -> t.t(m ? "call.unmute" : "call.mute")));
        mute.setOnAction(e -> vm.toggleMute());
        Button camera = new Button();
        camera.setId("cameraButton");
        camera.textProperty().bind(vm.cameraOnProperty().map(on -> t.t(on ? "call.cameraOff" : "call.cameraOn")));
        camera.setOnAction(e -> vm.toggleCamera());
        camera.visibleProperty().bind(vm.videoProperty());
        camera.managedProperty().bind(camera.visibleProperty());
        Button switchVideo = new Button();
        switchVideo.setId("videoButton");
        switchVideo.textProperty().bind(vm.videoProperty().map(v -> t.t(v ? "call.toAudio" : "call.toVideo")));
        switchVideo.setTooltip(new Tooltip(t.t("call.toggleVideoShortcut", TOGGLE_VIDEO.getDisplayText())));
        switchVideo.setOnAction(e -> vm.toggleVideo());
        Button share = new Button();
        share.setId("shareButton");
        share.textProperty().bind(vm.sharingProperty().map(s -> t.t(s ? "call.stopShare" : "call.share")));
        share.setOnAction(e -> vm.toggleScreenShare(screen));
        Button hangUp = new Button();
        hangUp.setId("hangUpButton");
        hangUp.textProperty().bind(vm.phaseProperty().map(p -> t.t(p == CallViewModel.Phase.ENDED ? "call.close"
                : "call.hangUp")));
        hangUp.setStyle("-fx-background-color: #d32f2f; -fx-text-fill: white;");
        hangUp.setOnAction(e -> {
            if (vm.phaseProperty().get() == CallViewModel.Phase.ENDED) {
                vm.dismiss();
            } else {
                vm.hangUp();
            }
        });
        HBox controls = new HBox(10, mute, switchVideo, camera, share, hangUp);
        controls.setAlignment(Pos.CENTER);
        VBox bottom = new VBox(6, quality, controls);
        bottom.setAlignment(Pos.CENTER);
        bottom.setPadding(new Insets(10));
        bottom.setStyle("-fx-background-color: #2b2e35;");

        BorderPane root = new BorderPane(videoArea);
        root.setTop(new VBox(top, sharing));
        root.setBottom(bottom);
        root.setId("callWindow");
        root.sceneProperty().addListener((o, was, scene) -> {
            if (scene != null) {
                scene.getAccelerators().put(TOGGLE_VIDEO, vm::toggleVideo);
            }
        });
        return root;
    }

    public void show() {
        if (stage == null) {
            stage = new Stage();
            stage.setScene(new Scene(build(), 800, 600));
            stage.setOnCloseRequest(e -> {
                if (vm.phaseProperty().get() == CallViewModel.Phase.ENDED) {
                    vm.dismiss();
                } else {
                    vm.hangUp();
                }
            });
            ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> vm.tick()));
            ticker.setCycleCount(Timeline.INDEFINITE);
        }
        stage.titleProperty().bind(vm.titleProperty());
        ticker.play();
        stage.show();
        stage.toFront();
    }

    public void hide() {
        if (stage != null) {
            ticker.stop();
            stage.hide();
        }
    }
}
