package dev.parley.desktop.chat;

import dev.parley.desktop.cache.CacheException;
import dev.parley.desktop.cache.OutboxEntry;
import dev.parley.desktop.net.ChatClient;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.Limits;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.MemberInfo;
import dev.parley.protocol.PostPolicy;
import dev.parley.protocol.UserSummary;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The open conversation: its rows (confirmed events by seq, then pending outbox entries), the composer with the
 * protocol's length limit, editing, typing, paging older history. Changes from the network arrive on the client's
 * thread and are applied through {@code ui} (Platform::runLater in the app, Runnable::run in tests).
 */
public final class ChatViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(ChatViewModel.class);
    static final int PAGE = 100;
    /** How far back a search result is fetched into the chat: 100 pages of 100. */
    static final int MAX_REVEAL_PAGES = 100;
    /** Messages by the same sender within this gap share one header. */
    static final long GROUP_GAP_MS = 5 * 60_000;
    private static final long TYPING_SHOWN_MS = 5_000;

    private final ChatClient client;
    private final Executor ui;
    private final ObservableList<MessageItem> all = FXCollections.observableArrayList();
    private final FilteredList<MessageItem> shown = new FilteredList<>(all);
    private final BooleanProperty showNotices = new SimpleBooleanProperty(true);
    private final ReadOnlyObjectWrapper<ConversationSummary> conversation = new ReadOnlyObjectWrapper<>();
    private final StringProperty composerText = new SimpleStringProperty("");
    private final ReadOnlyIntegerWrapper remaining = new ReadOnlyIntegerWrapper(Limits.MAX_TEXT_LENGTH);
    private final ReadOnlyBooleanWrapper canSend = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper mayPost = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyObjectWrapper<MessageItem> editing = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<List<String>> typingNames = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyBooleanWrapper loadingOlder = new ReadOnlyBooleanWrapper(false);
    /** Bumped by each reveal and by opening or closing a conversation: an older reveal stops at its next step. */
    private long revealGeneration;
    private ChangeListener<Boolean> pendingReveal;
    /** Why the last send, edit or delete failed; the view words it (the relay's own words are English). */
    private final ReadOnlyObjectWrapper<Throwable> failure = new ReadOnlyObjectWrapper<>();
    private final IntegerProperty receiptsVersion = new SimpleIntegerProperty();
    private final ObjectProperty<Runnable> onPrepended = new SimpleObjectProperty<>();
    private final Map<Long, Long> typingUntil = new LinkedHashMap<>();
    private final ChatClient.Listener listener = new Updates();
    private long openConv;
    /** The composer's text when an edit began, restored when it ends. */
    private String draftBeforeEdit;
    /** The open conversation's draft as last read from or written to the cache. */
    private String loadedDraft = "";
    /** True while the view model itself sets the composer's text. */
    private boolean settingComposer;
    private boolean disposed;
    /** Names by user id, kept in memory: cells ask for them on every render. */
    private Map<Long, UserSummary> users = Map.of();
    private boolean windowFocused = true;

    public ChatViewModel(ChatClient client, Executor ui, boolean showNoticesInitially) {
        this.client = client;
        this.ui = ui;
        showNotices.set(showNoticesInitially);
        shown.setPredicate(item -> showNotices.get() || item.isMessage());
        showNotices.addListener((obs, was, now) -> shown.setPredicate(item -> now || item.isMessage()));
        composerText.addListener((obs, was, now) -> updateLimit());
        editing.addListener((obs, was, now) -> updateLimit());
        conversation.addListener((obs, was, now) -> {
            mayPost.set(now == null || mayPost(now));
            updateLimit();
        });
        client.addListener(listener);
    }

    // ---- properties --------------------------------------------------------------------------------------------

    /** The rows to show (notices filtered out when hidden). */
    public ObservableList<MessageItem> items() {
        return shown;
    }

    /** Every row, notices included. */
    public ObservableList<MessageItem> allItems() {
        return FXCollections.unmodifiableObservableList(all);
    }

    public BooleanProperty showNoticesProperty() {
        return showNotices;
    }

    public ReadOnlyObjectProperty<ConversationSummary> conversationProperty() {
        return conversation.getReadOnlyProperty();
    }

    public StringProperty composerTextProperty() {
        return composerText;
    }

    /** Characters left before the protocol limit; negative when over it. */
    public ReadOnlyIntegerProperty remainingProperty() {
        return remaining.getReadOnlyProperty();
    }

    /**
     * False in a channel where only the owner and admins post and the user is neither: the view shows why instead
     * of a composer whose messages the relay would refuse. Editing one's own messages stays possible.
     */
    public ReadOnlyBooleanProperty mayPostProperty() {
        return mayPost.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canSendProperty() {
        return canSend.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<MessageItem> editingProperty() {
        return editing.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<String>> typingNamesProperty() {
        return typingNames.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingOlderProperty() {
        return loadingOlder.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Throwable> failureProperty() {
        return failure.getReadOnlyProperty();
    }

    /** Bumped when receipts change the delivery state of own messages, so the view re-renders them. */
    public IntegerProperty receiptsVersionProperty() {
        return receiptsVersion;
    }

    /** Called (on the UI executor) after older rows were put at the top, with nothing else changed. */
    public ObjectProperty<Runnable> onPrependedProperty() {
        return onPrepended;
    }

    public long myId() {
        return client.myId();
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    /** Shows a conversation from the cache at once; the network fills in whatever is new. */
    public void open(long conv) {
        if (disposed) {
            return; // a selection queued before the session ended: its cache is closed
        }
        keepDraft();
        openConv = conv;
        revealGeneration++;
        dropPendingReveal();
        editing.set(null);
        draftBeforeEdit = null;
        loadedDraft = client.draft(conv);
        setComposer(loadedDraft);
        failure.set(null);
        typingUntil.clear();
        typingNames.set(List.of());
        conversation.set(client.conversation(conv).orElse(null));
        users = client.users();
        List<MessageItem> rows = new ArrayList<>();
        for (LogEvent e : client.latest(conv, PAGE)) {
            rows.add(MessageItem.of(e, myId()));
        }
        for (OutboxEntry entry : client.outbox(conv)) {
            rows.add(MessageItem.pending(entry, myId()));
        }
        all.setAll(rows);
        client.setActiveConversation(windowFocused ? conv : 0);
    }

    /** Messages count as read only while the user can see them. */
    public void setWindowFocused(boolean focused) {
        windowFocused = focused;
        client.setActiveConversation(focused ? openConv : 0);
    }

    /**
     * The session ends (sign-out, a new language, quitting): keeps the draft, then ignores whatever UI updates were
     * still queued, since the cache they would read is about to close.
     */
    public void dispose() {
        close();
        disposed = true;
        client.removeListener(listener);
    }

    /** No conversation is open any more; what the user was writing in it is kept for next time. */
    public void close() {
        keepDraft();
        openConv = 0;
        revealGeneration++;
        dropPendingReveal();
        editing.set(null);
        draftBeforeEdit = null;
        setComposer("");
        all.clear();
        conversation.set(null);
        client.setActiveConversation(0);
    }

    public long openConversation() {
        return openConv;
    }

    /** Puts the previous page at the top: from the cache, else from the relay. */
    public void loadOlder() {
        long conv = openConv;
        if (conv == 0 || loadingOlder.get()) {
            return;
        }
        long oldest = firstConfirmedSeq();
        List<LogEvent> older = client.before(conv, oldest == 0 ? Long.MAX_VALUE : oldest, PAGE);
        if (!older.isEmpty()) {
            prepend(older);
            return;
        }
        if (client.historyComplete(conv)) {
            return;
        }
        loadingOlder.set(true);
        client.loadOlder(conv).whenComplete((more, failure) -> {
            List<LogEvent> fetched = failure == null && openConv == conv
                    ? client.before(conv, oldest == 0 ? Long.MAX_VALUE : oldest, PAGE) : List.of();
            ui.execute(() -> {
                loadingOlder.set(false);
                if (openConv == conv && !fetched.isEmpty()) {
                    prepend(fetched);
                }
            });
        });
    }

    /**
     * Loads older pages until the message {@code seq} of the open conversation is among the items (at most
     * {@link #MAX_REVEAL_PAGES} pages), then hands its row to {@code found}; a search result far back is reached the
     * way scrolling up would reach it. {@code notReached} runs when it cannot be (further back than that, or no
     * longer in the log). A newer reveal, or opening or closing a conversation, abandons this one.
     */
    public void reveal(long seq, Consumer<MessageItem> found, Runnable notReached) {
        long mine = ++revealGeneration;
        dropPendingReveal();
        revealStep(mine, openConv, seq, MAX_REVEAL_PAGES, found, notReached);
    }

    private void revealStep(long mine, long conv, long seq, int pagesLeft, Consumer<MessageItem> found,
                            Runnable notReached) {
        if (mine != revealGeneration || conv == 0 || openConv != conv) {
            return;
        }
        for (MessageItem item : shown) {
            if (item.seq() == seq && item.isMessage()) {
                found.accept(item);
                return;
            }
        }
        long oldest = firstConfirmedSeq();
        if (pagesLeft == 0 || (oldest != 0 && oldest <= seq)) {
            notReached.run();
            return;
        }
        if (loadingOlder.get()) {
            // A page the user asked for by scrolling is on its way: look again when it is in.
            whenLoaded(() -> revealStep(mine, conv, seq, pagesLeft, found, notReached));
            return;
        }
        int rowsBefore = all.size();
        loadOlder();
        Runnable next = () -> {
            if (all.size() > rowsBefore) {
                revealStep(mine, conv, seq, pagesLeft - 1, found, notReached);
            } else if (mine == revealGeneration) {
                notReached.run(); // nothing older came (none left, or the relay could not be asked)
            }
        };
        if (loadingOlder.get()) {
            whenLoaded(next);
        } else {
            ui.execute(next);
        }
    }

    /** Runs {@code then} once the page being loaded is in; at most one reveal waits at a time. */
    private void whenLoaded(Runnable then) {
        dropPendingReveal();
        pendingReveal = (o, was, now) -> {
            if (!now) {
                dropPendingReveal();
                ui.execute(then);
            }
        };
        loadingOlder.addListener(pendingReveal);
    }

    private void dropPendingReveal() {
        if (pendingReveal != null) {
            loadingOlder.removeListener(pendingReveal);
            pendingReveal = null;
        }
    }

    public boolean historyComplete() {
        return openConv == 0 || client.historyComplete(openConv);
    }

    /** Enter in the composer: sends the text, or saves the edit in progress. */
    public void send() {
        if (!canSend.get()) {
            return;
        }
        String text = composerText.get();
        MessageItem edited = editing.get();
        if (edited != null) {
            endEdit();
            if (!text.strip().equals(edited.text())) {
                long conv = openConv;
                client.edit(conv, edited.seq(), text).whenComplete((ok, e) -> {
                    if (e != null) {
                        // The composer went back to the draft optimistically; a refused edit must not take the new
                        // text with it. Whatever the user typed since becomes the draft the edit returns to.
                        ui.execute(() -> {
                            if (openConv == conv && editing.get() == null) {
                                draftBeforeEdit = composerText.get();
                                editing.set(edited);
                                setComposer(text);
                            }
                        });
                    }
                    failed(e);
                });
            }
            return;
        }
        try {
            client.send(openConv, text);
            composerText.set("");
            keepDraft(); // the draft was sent: it must not come back
        } catch (IllegalArgumentException | CacheException e) {
            // Not queued (too long, or the disk is full): the text stays in the composer for another try.
            failure.set(e);
        }
    }

    public void startEdit(MessageItem item) {
        if (item == null || !item.editable()) {
            return;
        }
        if (editing.get() == null) {
            // Editing borrows the composer; what the user was writing comes back afterwards.
            draftBeforeEdit = composerText.get();
        }
        editing.set(item);
        composerText.set(item.text());
    }

    /** Leaves edit mode and puts the draft from before it back in the composer. */
    private void endEdit() {
        String draft = draftBeforeEdit == null ? "" : draftBeforeEdit;
        draftBeforeEdit = null;
        editing.set(null);
        setComposer(draft);
    }

    private void setComposer(String text) {
        settingComposer = true;
        try {
            composerText.set(text);
        } finally {
            settingComposer = false;
        }
    }

    /**
     * Saves the open conversation's draft (not the text of a message being edited) when it changed. A conversation
     * the user left has none to keep. A cache that cannot take it (a full disk) loses the draft, never the switch.
     */
    private void keepDraft() {
        if (openConv == 0 || client.conversation(openConv).isEmpty()) {
            return;
        }
        String draft = editing.get() != null ? draftBeforeEdit : composerText.get();
        String text = draft == null ? "" : draft;
        if (text.equals(loadedDraft)) {
            return;
        }
        try {
            client.saveDraft(openConv, text);
            loadedDraft = text;
        } catch (CacheException e) {
            LOG.warn("could not keep the draft of conversation {}: {}", openConv, e.getMessage());
        }
    }

    /** Up arrow in an empty composer: edit the newest own message. */
    public boolean editLastOwn() {
        for (int i = all.size() - 1; i >= 0; i--) {
            MessageItem item = all.get(i);
            if (item.editable()) {
                startEdit(item);
                return true;
            }
        }
        return false;
    }

    public void cancelEdit() {
        if (editing.get() != null) {
            endEdit();
        }
    }

    public void delete(MessageItem item) {
        if (item == null) {
            return;
        }
        if (item.pending()) {
            client.outbox(openConv).stream().filter(e -> e.clientId().equals(item.clientId())).findFirst()
                    .ifPresent(client::discard);
            return;
        }
        if (item.editable() || mayRemoveForEveryone(item)) {
            client.delete(openConv, item.seq()).whenComplete((ok, e) -> failed(e));
        }
    }

    /**
     * Someone else's message that the user may delete as the owner or an admin of a group or channel (moderation;
     * the view asks first, as the author is not the one deleting).
     */
    public boolean mayRemoveForEveryone(MessageItem item) {
        ConversationSummary c = conversation.get();
        return item != null && !item.own() && !item.pending() && item.isMessage() && !item.deleted() && c != null
                && c.kind() != ConversationKind.DM && c.role() != null && c.role().canManage();
    }

    /** The user typed in the composer. */
    public void typed() {
        if (settingComposer) {
            return; // a draft put back is not the user typing
        }
        if (openConv != 0 && editing.get() == null && !composerText.get().isBlank()) {
            client.typing(openConv);
        }
    }

    public void clearError() {
        failure.set(null);
    }

    /** The state of an own message; others' messages have none. */
    public Delivery deliveryOf(MessageItem item) {
        if (!item.own() || !item.isMessage()) {
            return null;
        }
        if (item.pending()) {
            return item.error() != null ? Delivery.FAILED : Delivery.SENDING;
        }
        ConversationSummary c = conversation.get();
        if (c == null) {
            return Delivery.SENT;
        }
        Delivery best = Delivery.SENT;
        for (MemberInfo m : c.members()) {
            if (m.user().id() == myId()) {
                continue;
            }
            if (m.readSeq() >= item.seq()) {
                return Delivery.READ;
            }
            if (m.deliveredSeq() >= item.seq()) {
                best = Delivery.DELIVERED;
            }
        }
        return best;
    }

    /** A user's name as shown: display name, else username. */
    public String nameOf(long user) {
        UserSummary u = users.get(user);
        if (u == null) {
            return "#" + user;
        }
        return u.displayName() != null && !u.displayName().isBlank() ? u.displayName() : u.username();
    }

    /** Whether a row starts a new group (new sender, a notice, or a long pause) and so shows its header. */
    public static boolean startsGroup(MessageItem previous, MessageItem item) {
        return previous == null || item.isNotice() || previous.isNotice() || previous.sender() != item.sender()
                || item.ts() - previous.ts() > GROUP_GAP_MS;
    }

    /** Whether a day separator goes above this row. */
    public static boolean startsDay(MessageItem previous, MessageItem item, ZoneId zone) {
        return previous == null || !day(previous, zone).equals(day(item, zone));
    }

    public static LocalDate day(MessageItem item, ZoneId zone) {
        return Instant.ofEpochMilli(item.ts()).atZone(zone).toLocalDate();
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private void updateLimit() {
        String text = composerText.get() == null ? "" : composerText.get();
        int left = Limits.MAX_TEXT_LENGTH - text.strip().length();
        remaining.set(left);
        canSend.set(openConv != 0 && !text.isBlank() && left >= 0 && (mayPost.get() || editing.get() != null));
    }

    private static boolean mayPost(ConversationSummary c) {
        return c.postPolicy() != PostPolicy.ADMINS || (c.role() != null && c.role().canManage());
    }

    private void failed(Throwable cause) {
        if (cause != null) {
            ui.execute(() -> failure.set(cause));
        }
    }

    private long firstConfirmedSeq() {
        for (MessageItem item : all) {
            if (!item.pending()) {
                return item.seq();
            }
        }
        return 0;
    }

    private void prepend(List<LogEvent> older) {
        long first = firstConfirmedSeq();
        List<MessageItem> rows = older.stream().filter(e -> first == 0 || e.seq() < first)
                .map(e -> MessageItem.of(e, myId())).toList();
        all.addAll(0, rows);
        Runnable after = onPrepended.get();
        if (after != null) {
            after.run();
        }
    }

    /** Puts confirmed rows in seq order (usually at the end), replacing a pending row with the same clientId. */
    private void insertConfirmed(List<LogEvent> events) {
        Set<String> confirmedIds = new HashSet<>();
        long first = firstConfirmedSeq();
        for (LogEvent e : events.stream().sorted(Comparator.comparingLong(LogEvent::seq)).toList()) {
            if (e.kind() == dev.parley.protocol.EventKind.EDITED || e.kind() == dev.parley.protocol.EventKind.DELETED) {
                continue;
            }
            if (first != 0 && e.seq() < first && all.size() >= PAGE) {
                continue; // older than what is shown: it appears when the user scrolls up
            }
            int index = confirmedIndex(e.seq());
            if (index >= 0) {
                all.set(index, MessageItem.of(e, myId()));
            } else {
                all.add(-index - 1, MessageItem.of(e, myId()));
            }
            if (e.clientId() != null) {
                confirmedIds.add(e.clientId());
            }
        }
        if (!confirmedIds.isEmpty()) {
            all.removeIf(item -> item.pending() && confirmedIds.contains(item.clientId()));
        }
    }

    /** Binary search over the confirmed rows (which precede the pending ones). */
    private int confirmedIndex(long seq) {
        int low = 0;
        int high = pendingStart() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long midSeq = all.get(mid).seq();
            if (midSeq < seq) {
                low = mid + 1;
            } else if (midSeq > seq) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    private int pendingStart() {
        int i = all.size();
        while (i > 0 && all.get(i - 1).pending()) {
            i--;
        }
        return i;
    }

    private void refreshPending(long conv) {
        List<OutboxEntry> outbox = client.outbox(conv);
        ui.execute(() -> {
            if (openConv != conv) {
                return;
            }
            all.remove(pendingStart(), all.size());
            Set<String> confirmed = new HashSet<>();
            for (MessageItem item : all) {
                if (item.clientId() != null) {
                    confirmed.add(item.clientId());
                }
            }
            for (OutboxEntry entry : outbox) {
                if (!confirmed.contains(entry.clientId())) {
                    all.add(MessageItem.pending(entry, myId()));
                }
            }
        });
    }

    private void expireTyping() {
        long now = System.currentTimeMillis();
        typingUntil.values().removeIf(until -> until < now);
        List<String> names = typingUntil.keySet().stream().map(this::nameOf).toList();
        typingNames.set(names);
    }

    private final class Updates implements ChatClient.Listener {
        @Override
        public void eventsAdded(long conv, List<LogEvent> events) {
            ui.execute(() -> {
                if (conv == openConv) {
                    insertConfirmed(events);
                    events.forEach(e -> typingUntil.remove(e.sender()));
                    expireTyping();
                    if (windowFocused) {
                        client.markRead(conv);
                    }
                }
            });
        }

        @Override
        public void messagesUpdated(long conv, List<LogEvent> messages) {
            ui.execute(() -> {
                if (conv == openConv) {
                    for (LogEvent m : messages) {
                        int index = confirmedIndex(m.seq());
                        if (index >= 0) {
                            all.set(index, MessageItem.of(m, myId()));
                        }
                        MessageItem edited = editing.get();
                        if (edited != null && edited.seq() == m.seq() && Boolean.TRUE.equals(m.deleted())) {
                            cancelEdit();
                        }
                    }
                }
            });
        }

        @Override
        public void outboxChanged(long conv) {
            refreshPending(conv);
        }

        @Override
        public void conversationsChanged() {
            long conv = openConv;
            if (conv == 0) {
                return;
            }
            ConversationSummary summary = client.conversation(conv).orElse(null);
            Map<Long, UserSummary> freshUsers = client.users();
            ui.execute(() -> {
                if (conv == openConv && summary == null) {
                    // Left, or removed by an admin: its chat must not stay open with a composer that cannot send.
                    close();
                } else if (conv == openConv) {
                    ConversationSummary before = conversation.get();
                    conversation.set(summary);
                    users = freshUsers;
                    if (before == null || !before.members().equals(summary.members())) {
                        receiptsVersion.set(receiptsVersion.get() + 1);
                    }
                }
            });
        }

        @Override
        public void usersChanged() {
            Map<Long, UserSummary> fresh = client.users();
            ui.execute(() -> {
                users = fresh;
                receiptsVersion.set(receiptsVersion.get() + 1); // re-renders the rows with the new names
            });
        }

        @Override
        public void typing(long conv, long user) {
            ui.execute(() -> {
                if (conv == openConv) {
                    typingUntil.put(user, System.currentTimeMillis() + TYPING_SHOWN_MS);
                    expireTyping();
                }
            });
        }
    }

    /** Drops typing names whose time is up; the view calls this on a timer. */
    public void tick() {
        expireTyping();
    }
}
