package dev.parley.desktop.call;

import dev.parley.protocol.CallRecord;
import dev.parley.protocol.LogEvent;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/** The call history (GET /api/calls/history) of one conversation or of all, newest first, in a small window. */
public final class CallHistoryView {
    private final CallText text;
    private final long myId;
    private final LongFunction<String> userName;
    private final LongFunction<String> conversationName;
    private final Executor background;

    public CallHistoryView(CallText text, long myId, LongFunction<String> userName,
                           LongFunction<String> conversationName, Executor background) {
        this.text = text;
        this.myId = myId;
        this.userName = userName;
        this.conversationName = conversationName;
        this.background = background;
    }

    /** Reports each call the relay logs, from any thread, until the returned subscription is closed. */
    @FunctionalInterface
    public interface CallsLogged {
        AutoCloseable subscribe(Runnable logged);
    }

    /**
     * Opens the window with the calls of one conversation ({@code loadOne}) and a switch to every conversation's
     * ({@code loadAll}); records load off the FX thread, and again whenever a call is logged while it is open: a
     * call that ends with the window open (or just before it opened, its record still on the way) shows up.
     */
    public void show(Window owner, Supplier<List<LogEvent>> loadOne, Supplier<List<LogEvent>> loadAll,
                     CallsLogged callsLogged) {
        ListView<LogEvent> list = new ListView<>();
        list.setId("callHistory");
        list.setPlaceholder(new Label(text.t("call.history.empty")));
        DateTimeFormatter when = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT)
                .withZone(ZoneId.systemDefault());
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(LogEvent e, boolean empty) {
                super.updateItem(e, empty);
                setText(empty || e == null || e.call() == null ? null : line(e, when));
            }
        });
        CheckBox all = new CheckBox(text.t("call.history.all"));
        all.setId("allCalls");
        all.setSelected(loadOne == null);
        all.setDisable(loadOne == null);
        // Only the latest load may fill the list: switching back and forth quickly must not end on the older answer.
        int[] latest = {0};
        Runnable reload = () -> {
            Supplier<List<LogEvent>> load = all.isSelected() ? loadAll : loadOne;
            int mine = ++latest[0];
            background.execute(() -> {
                try {
                    List<LogEvent> events = load.get();
                    Platform.runLater(() -> {
                        if (mine == latest[0]) {
                            list.setPlaceholder(new Label(text.t("call.history.empty")));
                            list.getItems().setAll(events);
                        }
                    });
                } catch (RuntimeException failure) {
                    // Offline or refused: say so, rather than an empty list that reads as "no calls".
                    String why = failure.getMessage() == null ? failure.getClass().getSimpleName()
                            : failure.getMessage();
                    Platform.runLater(() -> {
                        if (mine == latest[0]) {
                            list.getItems().clear();
                            list.setPlaceholder(new Label(text.t("call.history.failed", why)));
                        }
                    });
                }
            });
        };
        all.setOnAction(e -> reload.run());
        BorderPane root = new BorderPane(list);
        root.setTop(all);
        BorderPane.setMargin(all, new javafx.geometry.Insets(8));
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.setTitle(text.t("call.history"));
        stage.setScene(new Scene(root, 520, 420));
        AutoCloseable subscription = callsLogged.subscribe(() -> Platform.runLater(() -> {
            if (stage.isShowing()) {
                reload.run();
            }
        }));
        stage.setOnHidden(e -> {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // Unsubscribing only removes a listener.
            }
        });
        stage.show();
        reload.run();
    }

    String line(LogEvent e, DateTimeFormatter when) {
        CallRecord c = e.call();
        String direction = e.sender() == myId ? text.t("call.outgoing") : text.t("call.incoming");
        String outcome = text.t("call.outcome." + c.outcome().name(), CallText.duration(c.durationMs()));
        String media = text.t(c.media() == dev.parley.protocol.CallMedia.VIDEO ? "call.video" : "call.audio");
        return when.format(Instant.ofEpochMilli(c.startedAt())) + " · " + conversationName.apply(e.conv()) + " · "
                + direction + " · " + media + " · " + outcome;
    }
}
