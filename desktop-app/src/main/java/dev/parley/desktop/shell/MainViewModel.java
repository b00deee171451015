package dev.parley.desktop.shell;

import dev.parley.desktop.chat.ConversationListViewModel;
import dev.parley.desktop.ui.I18n;
import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.net.ConnectionState;
import dev.parley.desktop.notify.Notifier;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.PresenceStatus;
import dev.parley.protocol.UserSummary;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The main window's state beyond the list and the chat: the connection banner, the window title with the unread
 * total, the user's own status (set by hand, and away automatically when idle), and desktop notifications for
 * messages that arrive while the window is not focused (none in do-not-disturb).
 */
public final class MainViewModel {
    public static final Duration IDLE_AFTER = Duration.ofMinutes(5);
    private static final int PREVIEW_CHARS = 120;

    private final ChatClient client;
    private final Notifier notifier;
    private final I18n i18n;
    private final Clock clock;
    private final ReadOnlyObjectWrapper<ConnectionState> connection = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper();
    private final ObjectProperty<PresenceStatus> status = new SimpleObjectProperty<>(PresenceStatus.ONLINE);
    private final ConversationListViewModel list;
    private volatile boolean windowFocused = true;
    private volatile long lastInput;
    private boolean autoAway;
    private Runnable onSignedOut = () -> { };

    public MainViewModel(ChatClient client, ConversationListViewModel list, Notifier notifier, I18n i18n,
                         Executor ui, Clock clock) {
        this.client = client;
        this.list = list;
        this.notifier = notifier;
        this.i18n = i18n;
        this.clock = clock;
        this.lastInput = clock.millis();
        connection.set(client.state());
        status.set(client.ownStatus());
        status.addListener((obs, was, now) -> {
            if (now != null && now != PresenceStatus.OFFLINE && now != client.ownStatus()) {
                client.setStatus(now);
            }
        });
        list.totalUnreadProperty().addListener((obs, was, now) -> updateTitle());
        updateTitle();
        client.addListener(new ChatClient.Listener() {
            @Override
            public void stateChanged(ConnectionState state) {
                ui.execute(() -> connection.set(state));
            }

            @Override
            public void incoming(ConversationSummary conversation, LogEvent message) {
                maybeNotify(conversation, message);
            }

            @Override
            public void signedOut(String reason) {
                ui.execute(() -> onSignedOut.run());
            }
        });
    }

    public ReadOnlyObjectProperty<ConnectionState> connectionProperty() {
        return connection.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** The user's own status; setting it tells the relay. */
    public ObjectProperty<PresenceStatus> statusProperty() {
        return status;
    }

    public ConversationListViewModel list() {
        return list;
    }

    public UserSummary me() {
        return client.me();
    }

    public void setOnSignedOut(Runnable onSignedOut) {
        this.onSignedOut = onSignedOut;
    }

    public void retryNow() {
        client.reconnectNow();
    }

    public void setWindowFocused(boolean focused) {
        windowFocused = focused;
        if (focused) {
            userActive();
        }
    }

    /** Any key or mouse input: the user is here. */
    public void userActive() {
        lastInput = clock.millis();
        if (autoAway) {
            autoAway = false;
            status.set(PresenceStatus.ONLINE);
        }
    }

    /** Called periodically: after {@link #IDLE_AFTER} without input an online user shows as away. */
    public void checkIdle() {
        if (status.get() == PresenceStatus.ONLINE && clock.millis() - lastInput >= IDLE_AFTER.toMillis()) {
            autoAway = true;
            status.set(PresenceStatus.AWAY);
        }
    }

    private void updateTitle() {
        long unread = list.totalUnreadProperty().get();
        title.set(unread > 0 ? "(" + unread + ") " + i18n.t("app.title") : i18n.t("app.title"));
    }

    private void maybeNotify(ConversationSummary conversation, LogEvent message) {
        if (windowFocused || status.get() == PresenceStatus.DND || client.muted().contains(conversation.id())) {
            return;
        }
        UserSummary sender = client.users().get(message.sender());
        String who = sender == null ? "?" : sender.displayName() != null ? sender.displayName() : sender.username();
        String where = conversation.kind() == ConversationKind.DM ? i18n.t("kind.dm")
                : conversation.kind() == ConversationKind.CHANNEL ? "#" + conversation.name() : conversation.name();
        String text = message.text() == null ? "" : message.text();
        if (text.length() > PREVIEW_CHARS) {
            int cut = Character.isLowSurrogate(text.charAt(PREVIEW_CHARS)) ? PREVIEW_CHARS - 1 : PREVIEW_CHARS;
            text = text.substring(0, cut) + "…"; // never half an emoji
        }
        notifier.show(i18n.t("notify.title", who, where), text);
    }
}
