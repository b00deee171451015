package dev.parley.desktop.chat;

import dev.parley.desktop.net.ChatClient;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.MemberInfo;
import dev.parley.protocol.PresenceStatus;
import dev.parley.protocol.UserSummary;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/** The conversation list: newest activity first, with presence of DM peers, unread counts and previews. */
public final class ConversationListViewModel {
    private final ChatClient client;
    private final Executor ui;
    private final ObservableList<ConversationItem> all = FXCollections.observableArrayList();
    private final FilteredList<ConversationItem> shown = new FilteredList<>(all);
    private final StringProperty filter = new SimpleStringProperty("");
    private final ObjectProperty<ConversationItem> selected = new SimpleObjectProperty<>();
    private final ReadOnlyLongWrapper totalUnread = new ReadOnlyLongWrapper();

    /** Builds started, and the newest applied (read and written on the UI thread only). */
    private final AtomicLong built = new AtomicLong();
    private long applied;
    private volatile boolean disposed;

    public ConversationListViewModel(ChatClient client, Executor ui) {
        this.client = client;
        this.ui = ui;
        filter.addListener((obs, was, now) -> {
            String q = now == null ? "" : now.strip().toLowerCase(Locale.ROOT);
            shown.setPredicate(item -> q.isEmpty() || item.title().toLowerCase(Locale.ROOT).contains(q));
        });
        client.addListener(new ChatClient.Listener() {
            @Override
            public void conversationsChanged() {
                refreshLater();
            }

            @Override
            public void presenceChanged(long user, PresenceStatus status) {
                refreshLater();
            }
        });
        all.setAll(build());
        updateTotal();
    }

    public ObservableList<ConversationItem> items() {
        return shown;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<ConversationItem> selectedProperty() {
        return selected;
    }

    public ReadOnlyLongProperty totalUnreadProperty() {
        return totalUnread.getReadOnlyProperty();
    }

    /** Re-reads the list (it is small; rebuilding is simpler than patching and keeps the order right). */
    public void refresh() {
        if (disposed) {
            return;
        }
        long generation = built.incrementAndGet();
        List<ConversationItem> items = build();
        applied = Math.max(applied, generation);
        apply(items);
    }

    /**
     * Builds off the UI thread and applies on it. Builds on different threads can finish in any order: one started
     * before a later change (a message arriving as the user mutes) must not be applied after it.
     */
    private void refreshLater() {
        long generation = built.incrementAndGet();
        List<ConversationItem> items = build();
        ui.execute(() -> {
            if (!disposed && generation > applied) {
                applied = generation;
                apply(items);
            }
        });
    }

    private void apply(List<ConversationItem> items) {
        ConversationItem keep = selected.get();
        all.setAll(items);
        if (keep != null) {
            selected.set(items.stream().filter(i -> i.id() == keep.id()).findFirst().orElse(null));
        }
        updateTotal();
    }

    private void updateTotal() {
        // Muted conversations keep their own badge but do not call for attention in the window title.
        totalUnread.set(all.stream().filter(i -> !i.muted()).mapToLong(ConversationItem::unread).sum());
    }

    /**
     * The session ends: list updates still queued are dropped (applying one would open a conversation, reading a
     * cache that is about to close). On the UI thread.
     */
    public void dispose() {
        disposed = true;
    }

    /** Mutes or unmutes a conversation on this device; the list and the unread total follow. */
    public void setMuted(long conv, boolean muted) {
        client.setMuted(conv, muted);
    }

    public ConversationItem byId(long id) {
        return all.stream().filter(i -> i.id() == id).findFirst().orElse(null);
    }

    private List<ConversationItem> build() {
        Map<Long, UserSummary> users = client.users();
        long me = client.myId();
        Set<Long> muted = client.muted();
        return client.conversations().stream().map(c -> item(c, users, me, muted.contains(c.id()))).toList();
    }

    static String displayName(UserSummary u) {
        return u.displayName() != null && !u.displayName().isBlank() ? u.displayName() : u.username();
    }

    private ConversationItem item(ConversationSummary c, Map<Long, UserSummary> users, long me, boolean muted) {
        long peer = 0;
        String title = c.name();
        if (c.kind() == ConversationKind.DM) {
            for (MemberInfo m : c.members()) {
                if (m.user().id() != me) {
                    peer = m.user().id();
                    title = displayName(m.user());
                }
            }
            if (title == null) {
                title = "?";
            }
        } else if (c.kind() == ConversationKind.CHANNEL) {
            title = "#" + c.name();
        }
        LogEvent last = c.lastMessage();
        String lastSender = null;
        if (last != null && last.sender() != me && c.kind() != ConversationKind.DM) {
            UserSummary u = users.get(last.sender());
            lastSender = u == null ? null : displayName(u);
        }
        return new ConversationItem(c.id(), c.kind(), title, peer, peer == 0 ? null : client.presence(peer),
                c.unread(), last, lastSender, c.lastActivity(), c.role() != null, muted);
    }
}
