package dev.parley.desktop.about;

import dev.parley.desktop.settings.AppDirs;
import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.api.ServerInfo;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.stage.Window;

import java.util.concurrent.CompletableFuture;

/**
 * Help > About (F1): the app's version (the Maven project's, stamped at build time), the relay it is signed in to
 * and that relay's version, the runtime, and where settings, data, cache and logs live (for support questions).
 */
public final class AboutDialog {
    private final I18n i18n;
    private final Window owner;
    private final String version;
    private final AppDirs dirs;
    private final String relayUrl;
    private final CompletableFuture<ServerInfo> relayInfo;

    /** {@code relayUrl} and {@code relayInfo} are null on the sign-in screen. */
    public AboutDialog(I18n i18n, Window owner, String version, AppDirs dirs, String relayUrl,
                       CompletableFuture<ServerInfo> relayInfo) {
        this.i18n = i18n;
        this.owner = owner;
        this.version = version;
        this.dirs = dirs;
        this.relayUrl = relayUrl;
        this.relayInfo = relayInfo;
    }

    public void show() {
        Dialog<Void> dialog = new Dialog<>();
        dialog.initOwner(owner);
        dialog.setTitle(i18n.t("about.title"));
        dialog.setHeaderText(i18n.t("about.header", version));
        dialog.getDialogPane().setId("aboutDialog");
        dialog.getDialogPane().getButtonTypes().add(new ButtonType(i18n.t("dialog.close"),
                ButtonBar.ButtonData.CANCEL_CLOSE));

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(6);
        grid.setPadding(new Insets(12, 16, 8, 16));
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        grid.getColumnConstraints().add(labels);
        int row = 0;
        Label appVersion = new Label(version);
        appVersion.setId("aboutVersion");
        grid.addRow(row++, new Label(i18n.t("about.version")), appVersion);
        if (relayUrl != null) {
            Label relay = new Label(relayUrl);
            relay.setId("aboutRelay");
            grid.addRow(row++, new Label(i18n.t("about.relay")), relay);
            Label relayVersion = new Label("…");
            relayVersion.setId("aboutRelayVersion");
            grid.addRow(row++, new Label(i18n.t("about.relayVersion")), relayVersion);
            relayInfo.whenComplete((info, error) -> Platform.runLater(() -> relayVersion.setText(
                    error == null ? info.name() + " " + info.version() : i18n.t("about.unreachable"))));
        }
        grid.addRow(row++, new Label(i18n.t("about.runtime")), new Label("Java " + System.getProperty("java.version")
                + ", JavaFX " + System.getProperty("javafx.runtime.version", "?")));
        grid.addRow(row++, new Label(i18n.t("about.settings")), new Label(dirs.config().toString()));
        grid.addRow(row++, new Label(i18n.t("about.data")), new Label(dirs.data().toString()));
        grid.addRow(row++, new Label(i18n.t("about.cache")), new Label(dirs.cache().toString()));
        grid.addRow(row, new Label(i18n.t("about.logs")), new Label(dirs.logs().toString()));
        dialog.getDialogPane().setContent(grid);
        dialog.getDialogPane().setMinWidth(520);
        dialog.show();
    }
}
