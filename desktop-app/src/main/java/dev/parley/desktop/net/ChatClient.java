package dev.parley.desktop.net;

import dev.parley.desktop.cache.AppliedEvents;
import dev.parley.desktop.cache.LocalCache;
import dev.parley.desktop.cache.OutboxEntry;
import dev.parley.desktop.cache.SyncState;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.Limits;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.MemberInfo;
import dev.parley.protocol.MemberRole;
import dev.parley.protocol.PostPolicy;
import dev.parley.protocol.PresenceStatus;
import dev.parley.protocol.ProtocolJson;
import dev.parley.protocol.ReceiptKind;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.UserSummary;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.protocol.api.MemberPage;
import dev.parley.protocol.api.SearchPage;
import dev.parley.protocol.api.SessionInfo;
import dev.parley.protocol.api.UpdateConversationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One signed-in account, UI-free: keeps the local cache in step with the relay, sends the outbox, and tells
 * listeners what changed. After every (re)connect it fetches the conversation list, syncs each conversation from its
 * last known seq until nothing more is missing, then resends the outbox in order (same clientId every time, so the
 * relay stores each message once). All network-driven work runs on one worker thread, in arrival order, so the cache
 * never sees two writers racing; the public methods are safe to call from any thread.
 */
public final class ChatClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);
    private static final int SYNC_PAGE = Limits.MAX_PAGE_SIZE;
    private static final int FIRST_PAGE = 100;
    private static final long TYPING_EVERY_MS = 3_000;

    /** What changed; called on the client's worker thread (or the caller's), never on the UI thread. */
    public interface Listener {
        default void stateChanged(ConnectionState state) {
        }

        default void conversationsChanged() {
        }

        /** Events new to this device in {@code conv}, oldest first (they may be older than ones shown). */
        default void eventsAdded(long conv, List<LogEvent> events) {
        }

        /** Messages whose text or deletion changed. */
        default void messagesUpdated(long conv, List<LogEvent> messages) {
        }

        default void outboxChanged(long conv) {
        }

        default void presenceChanged(long user, PresenceStatus status) {
        }

        default void typing(long conv, long user) {
        }

        /** Someone else's message arrived live (for notifications). */
        default void incoming(ConversationSummary conversation, LogEvent message) {
        }

        default void signedOut(String reason) {
        }

        /** Names of users became known (e.g. someone who left before this device saw them). */
        default void usersChanged() {
        }
    }

    private final AuthSession auth;
    private final LocalCache cache;
    private final Clock clock;
    private final ExecutorService worker;
    private final ScheduledExecutorService scheduler;
    private final RelayConnection connection;
    private final CallChannel calls;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, PresenceStatus> presence = new ConcurrentHashMap<>();
    private final Map<Long, Long> lastTypingSent = new ConcurrentHashMap<>();
    private volatile ConnectionState state = ConnectionState.OFFLINE;
    private volatile PresenceStatus ownStatus = PresenceStatus.ONLINE;
    private volatile long activeConversation;
    private volatile UserSummary me;

    public ChatClient(AuthSession auth, LocalCache cache, ProtocolJson json, DeviceInfo device, Backoff backoff,
                      Clock clock) {
        this.auth = auth;
        this.cache = cache;
        this.clock = clock;
        this.worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("parley-client").daemon(true)
                .factory());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("parley-connection")
                .daemon(true).factory());
        SavedLogin login = auth.login();
        this.me = new UserSummary(login.userId(), login.username(), login.displayName(), PresenceStatus.OFFLINE,
                null);
        this.connection = new RelayConnection(auth.api().relay(), json, auth, device, scheduler, backoff,
                new ConnectionEvents());
        this.calls = new CallChannel(connection, auth);
    }

    /** The call frames of this connection (the media side lives in desktop.call). */
    public CallChannel calls() {
        return calls;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Starts connecting; everything cached is readable at once, before the relay answers. */
    public void start() {
        connection.start();
    }

    public ConnectionState state() {
        return state;
    }

    public UserSummary me() {
        return me;
    }

    public long myId() {
        return auth.userId();
    }

    public SavedLogin login() {
        return auth.login();
    }

    public void reconnectNow() {
        connection.reconnectNow();
    }

    // ---- reading (from the cache) ----------------------------------------------------------------------------

    public List<ConversationSummary> conversations() {
        return cache.conversations();
    }

    public Optional<ConversationSummary> conversation(long id) {
        return cache.conversation(id);
    }

    public Map<Long, UserSummary> users() {
        return cache.users();
    }

    public PresenceStatus presence(long user) {
        if (user == myId()) {
            return state == ConnectionState.CONNECTED ? ownStatus : PresenceStatus.OFFLINE;
        }
        return presence.getOrDefault(user, PresenceStatus.OFFLINE);
    }

    public PresenceStatus ownStatus() {
        return ownStatus;
    }

    /** The newest {@code limit} visible events of a conversation, oldest first. */
    public List<LogEvent> latest(long conv, int limit) {
        return cache.visibleBefore(conv, null, limit);
    }

    /** Blocking: the relay searches the conversation (see {@link RelayApi#search}). */
    public SearchPage search(long conv, String query, Long before, int limit) {
        return auth.api().search(auth.accessToken(), conv, query, before, limit);
    }

    public List<LogEvent> before(long conv, long seq, int limit) {
        return cache.visibleBefore(conv, seq, limit);
    }

    public List<LogEvent> after(long conv, long seq, int limit) {
        return cache.visibleAfter(conv, seq, limit);
    }

    public Optional<LogEvent> event(long conv, long seq) {
        return cache.event(conv, seq);
    }

    public List<OutboxEntry> outbox(long conv) {
        return cache.outbox(conv);
    }

    /** True when every older event of the conversation is in the cache. */
    public boolean historyComplete(long conv) {
        return cache.syncState(conv).map(SyncState::historyComplete).orElse(false);
    }

    /**
     * Fetches the page before the oldest cached event from the relay into the cache. Completes with true when
     * older history remains on the relay after this page.
     */
    public CompletableFuture<Boolean> loadOlder(long conv) {
        return CompletableFuture.supplyAsync(() -> {
            SyncState s = cache.syncState(conv).orElse(null);
            if (s == null) {
                syncConversation(conv);
                s = cache.syncState(conv).orElseThrow();
            }
            if (s.historyComplete()) {
                return false;
            }
            long floor = s.floorSeq();
            ServerMessage.Events page = await(connection.request(rid ->
                    new ClientMessage.History(rid, conv, floor, SYNC_PAGE)), ServerMessage.Events.class);
            AppliedEvents applied = cache.applyEvents(page.events());
            long newFloor = page.hasMore() && !page.events().isEmpty() ? page.events().getFirst().seq() : 1;
            SyncState latest = cache.syncState(conv).orElse(s);
            cache.saveSyncState(conv, new SyncState(latest.syncedSeq(), Math.min(newFloor, latest.floorSeq())));
            announce(conv, applied);
            return newFloor > 1;
        }, worker);
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    /**
     * Puts a message in the persistent outbox and sends it when connected. The text is checked against the protocol
     * limits here, so an over-long message is refused before it is queued, never truncated.
     */
    public OutboxEntry send(long conv, String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("the message is empty");
        }
        if (trimmed.length() > Limits.MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("the message has " + trimmed.length() + " characters; the limit is "
                    + Limits.MAX_TEXT_LENGTH);
        }
        OutboxEntry entry = new OutboxEntry(UUID.randomUUID().toString(), conv, trimmed, clock.millis(), null);
        cache.enqueue(entry);
        cache.conversation(conv).ifPresent(c -> {
            cache.saveConversation(withActivity(c, entry.createdAt()));
            listeners.forEach(Listener::conversationsChanged);
        });
        listeners.forEach(l -> l.outboxChanged(conv));
        onWorker(this::flushOutbox);
        return entry;
    }

    /** Gives up on a message the relay refused (removes it from the outbox). */
    public void discard(OutboxEntry entry) {
        cache.dequeue(entry.clientId());
        listeners.forEach(l -> l.outboxChanged(entry.conv()));
    }

    public CompletableFuture<Void> edit(long conv, long seq, String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty() || trimmed.length() > Limits.MAX_TEXT_LENGTH) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "the text must have 1 to " + Limits.MAX_TEXT_LENGTH + " characters"));
        }
        return connection.request(rid -> new ClientMessage.Edit(rid, conv, seq, trimmed))
                .thenAcceptAsync(reply -> {
                    ServerMessage.Ack ack = (ServerMessage.Ack) reply;
                    applyLocal(new LogEvent(conv, ack.seq(), EventKind.EDITED, myId(), ack.ts(), null, trimmed, seq,
                            null, null, null, null));
                }, worker);
    }

    public CompletableFuture<Void> delete(long conv, long seq) {
        return connection.request(rid -> new ClientMessage.Delete(rid, conv, seq))
                .thenAcceptAsync(reply -> {
                    ServerMessage.Ack ack = (ServerMessage.Ack) reply;
                    applyLocal(new LogEvent(conv, ack.seq(), EventKind.DELETED, myId(), ack.ts(), null, null, seq,
                            null, null, null, null));
                }, worker);
    }

    /** Tells the conversation's members that the user is typing, at most every 3 s. */
    public void typing(long conv) {
        long now = clock.millis();
        Long last = lastTypingSent.get(conv);
        if (last == null || now - last >= TYPING_EVERY_MS) {
            lastTypingSent.put(conv, now);
            connection.sendEphemeral(new ClientMessage.Typing(conv));
        }
    }

    /** The conversation the user is looking at (0: none); its new messages count as read. */
    public void setActiveConversation(long conv) {
        activeConversation = conv;
        if (conv != 0) {
            markRead(conv);
        }
    }

    /**
     * Runs work on the client's worker. Work that arrives after {@link #close} (a late UI callback or socket event)
     * has nothing left to act on and is dropped.
     */
    private void onWorker(Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // Background work answers no one: log it rather than kill the worker thread with it.
                    LOG.warn("background work failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.debug("client closed; dropping late work");
        }
    }

    public void markRead(long conv) {
        onWorker(() -> {
            Optional<ConversationSummary> found = cache.conversation(conv);
            if (found.isEmpty()) {
                return;
            }
            ConversationSummary c = found.get();
            long upTo = Math.max(c.lastSeq(), cache.syncState(conv).map(SyncState::syncedSeq).orElse(0L));
            if (c.unread() != 0 || c.readSeq() < upTo) {
                cache.saveConversation(copy(c, c.lastSeq(), upTo, 0, c.lastMessage(), c.lastActivity(),
                        c.members()));
                listeners.forEach(Listener::conversationsChanged);
                if (upTo > 0) {
                    connection.request(rid -> new ClientMessage.MarkRead(rid, conv, upTo))
                            .exceptionally(e -> null);
                }
            }
        });
    }

    public void setStatus(PresenceStatus status) {
        ownStatus = status;
        connection.request(rid -> new ClientMessage.SetPresence(rid, status)).exceptionally(e -> null);
        listeners.forEach(l -> l.presenceChanged(myId(), presence(myId())));
    }

    // ---- REST (blocking; call off the UI thread) --------------------------------------------------------------

    public List<UserSummary> searchUsers(String query) {
        List<UserSummary> found = auth.api().searchUsers(auth.accessToken(), query);
        found.forEach(u -> presence.put(u.id(), u.status() == null ? PresenceStatus.OFFLINE : u.status()));
        return found;
    }

    /** Opens (or finds) the DM with a user. */
    public ConversationSummary openDm(long user) {
        return remember(auth.api().create(auth.accessToken(), new CreateConversationRequest(ConversationKind.DM,
                null, null, List.of(user), null)));
    }

    public ConversationSummary create(ConversationKind kind, String name, String topic, List<Long> members) {
        return remember(auth.api().create(auth.accessToken(),
                new CreateConversationRequest(kind, name, topic, members, null)));
    }

    public List<ConversationSummary> channels() {
        return auth.api().channels(auth.accessToken());
    }

    public ConversationSummary join(long conv) {
        return remember(auth.api().join(auth.accessToken(), conv));
    }

    public void leave(long conv) {
        auth.api().leave(auth.accessToken(), conv);
        cache.removeConversation(conv);
        listeners.forEach(Listener::conversationsChanged);
    }

    public ConversationSummary addMembers(long conv, List<Long> users) {
        return remember(auth.api().addMembers(auth.accessToken(), conv, users));
    }

    public ConversationSummary removeMember(long conv, long user) {
        auth.api().removeMember(auth.accessToken(), conv, user);
        return remember(auth.api().conversation(auth.accessToken(), conv));
    }

    /** The message the user had started in {@code conv} and not sent, kept on this device. */
    public String draft(long conv) {
        return cache.draft(conv).orElse("");
    }

    public void saveDraft(long conv, String text) {
        cache.saveDraft(conv, text);
    }

    /** Conversations muted on this device: no desktop notification, not counted in the window's unread total. */
    public Set<Long> muted() {
        return cache.muted();
    }

    public void setMuted(long conv, boolean muted) {
        cache.setMuted(conv, muted);
        listeners.forEach(Listener::conversationsChanged);
    }

    /** Every member, fetched page by page (a channel's summary lists none). */
    public List<MemberInfo> members(long conv) {
        return members(conv, Limits.MAX_PAGE_SIZE);
    }

    List<MemberInfo> members(long conv, int pageSize) {
        List<MemberInfo> members = new ArrayList<>();
        long after = 0;
        while (true) {
            MemberPage page = auth.api().members(auth.accessToken(), conv, after, pageSize);
            members.addAll(page.members());
            if (!page.hasMore() || page.members().isEmpty()) {
                return members;
            }
            long next = page.members().getLast().user().id();
            if (next <= after) {
                // A relay that does not page forward would keep this loop busy for ever.
                throw new ApiException(ErrorCode.INTERNAL_ERROR, "the relay's member pages do not move on");
            }
            after = next;
        }
    }

    /** Changes a group's or channel's name, topic or (channels) post policy; null leaves a field as it is. */
    public ConversationSummary updateConversation(long conv, String name, String topic, PostPolicy postPolicy) {
        return remember(auth.api().update(auth.accessToken(), conv,
                new UpdateConversationRequest(name, topic, postPolicy)));
    }

    /** The owner makes a member an admin or a member again, or hands ownership over (becoming an admin). */
    public ConversationSummary setRole(long conv, long user, MemberRole role) {
        return remember(auth.api().setRole(auth.accessToken(), conv, user, role));
    }

    public ConversationSummary refreshConversation(long conv) {
        return remember(auth.api().conversation(auth.accessToken(), conv));
    }

    public List<SessionInfo> sessions() {
        return auth.api().sessions(auth.accessToken());
    }

    /** Blocking; this device stays signed in, the relay signs the user's other devices out. */
    public void changePassword(String currentPassword, String newPassword) {
        auth.api().changePassword(auth.accessToken(), currentPassword, newPassword);
    }

    public void revokeSession(String sessionId) {
        auth.api().revokeSession(auth.accessToken(), sessionId);
    }

    public String sessionId() {
        return auth.login().sessionId();
    }

    /** Stops saving the sign-in at once; {@link #signOut()} then tells the relay (blocking) and closes. */
    public void stopSavingLogin() {
        auth.stopSaving();
    }

    /** Signs this device out at the relay (best effort: offline, the local sign-in is forgotten anyway). */
    public void signOut() {
        auth.stopSaving();
        try {
            auth.api().logout(auth.accessToken());
        } catch (RuntimeException e) {
            LOG.info("could not tell the relay about the sign-out: {}", e.getMessage());
        }
        close();
    }

    private ConversationSummary remember(ConversationSummary summary) {
        cache.saveConversation(summary);
        cache.saveUsers(summary.members().stream().map(MemberInfo::user).toList());
        listeners.forEach(Listener::conversationsChanged);
        onWorker(() -> syncQuietly(summary.id()));
        return summary;
    }

    @Override
    public void close() {
        listeners.clear();
        connection.close();
        worker.shutdownNow();
        scheduler.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the sync engine (worker thread) ----------------------------------------------------------------------

    private final class ConnectionEvents implements RelayConnection.Listener {
        @Override
        public void stateChanged(ConnectionState newState) {
            state = newState;
            listeners.forEach(l -> l.stateChanged(newState));
            calls.connectionChanged(newState == ConnectionState.CONNECTED);
        }

        @Override
        public void welcomed(ServerMessage.Welcome welcome) {
            calls.welcomed(welcome);
            onWorker(() -> onWelcome(welcome));
        }

        @Override
        public void pushed(ServerMessage message) {
            if (calls.dispatch(message)) {
                return;
            }
            onWorker(() -> onPush(message));
        }

        @Override
        public void signedOut(String reason) {
            listeners.forEach(l -> l.signedOut(reason));
        }
    }

    private void onWelcome(ServerMessage.Welcome welcome) {
        me = welcome.user();
        presence.clear();
        for (ServerMessage.Presence p : welcome.presence()) {
            presence.put(p.user(), p.status());
        }
        listeners.forEach(l -> l.presenceChanged(myId(), presence(myId())));
        welcome.presence().forEach(p -> listeners.forEach(l -> l.presenceChanged(p.user(), p.status())));
        if (ownStatus != PresenceStatus.ONLINE) {
            connection.request(rid -> new ClientMessage.SetPresence(rid, ownStatus)).exceptionally(e -> null);
        }
        try {
            List<ConversationSummary> list = auth.api().conversations(auth.accessToken());
            cache.replaceConversations(list);
            cache.saveUsers(list.stream().flatMap(c -> c.members().stream()).map(MemberInfo::user).distinct()
                    .toList());
            listeners.forEach(Listener::conversationsChanged);
            for (ConversationSummary c : list) {
                if (c.role() != null) {
                    syncOneAfterReconnect(c.id());
                }
            }
        } catch (NotConnectedException | RelayUnreachableException e) {
            LOG.info("sync interrupted ({}); it resumes after the next reconnect", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("sync failed", e);
        }
        // What was written offline goes out even when part of the sync failed: the relay orders and deduplicates
        // by clientId, and nothing else would send it before the next reconnect.
        try {
            flushOutbox();
            if (activeConversation != 0) {
                markRead(activeConversation);
            }
        } catch (RuntimeException e) {
            LOG.info("sending the outbox after the reconnect failed ({}); it is tried again on the next send or "
                    + "reconnect", e.getMessage());
        }
    }

    /** One conversation that cannot be synced (a refused or timed-out page) must not stop the others. */
    private void syncOneAfterReconnect(long conv) {
        try {
            syncConversation(conv);
        } catch (NotConnectedException | RelayUnreachableException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("sync of conversation {} failed: {}", conv, e.getMessage());
        }
    }

    /** Brings one conversation's cache up to the relay's newest event: {@code sync after} until no more. */
    private void syncConversation(long conv) {
        SyncState s = cache.syncState(conv).orElse(null);
        if (s == null) {
            // Never seen: take the newest page rather than the whole history; older pages load on scrolling up.
            ServerMessage.Events page = await(connection.request(rid ->
                    new ClientMessage.History(rid, conv, null, FIRST_PAGE)), ServerMessage.Events.class);
            AppliedEvents applied = cache.applyEvents(page.events());
            long newest = page.events().isEmpty() ? page.lastSeq() : page.events().getLast().seq();
            long floor = page.hasMore() && !page.events().isEmpty() ? page.events().getFirst().seq() : 1;
            s = new SyncState(newest, floor);
            cache.saveSyncState(conv, s);
            announce(conv, applied);
        }
        boolean more = true;
        while (more) {
            long after = s.syncedSeq();
            ServerMessage.Events page = await(connection.request(rid ->
                    new ClientMessage.Sync(rid, conv, after, SYNC_PAGE)), ServerMessage.Events.class);
            AppliedEvents applied = cache.applyEvents(page.events());
            long newest = page.events().isEmpty() ? after : page.events().getLast().seq();
            s = new SyncState(newest, s.floorSeq());
            cache.saveSyncState(conv, s);
            updateSummary(conv, applied.inserted());
            announce(conv, applied);
            more = page.hasMore();
        }
        long delivered = s.syncedSeq();
        if (delivered > 0) {
            connection.request(rid -> new ClientMessage.MarkDelivered(rid, conv, delivered)).exceptionally(e -> null);
        }
    }

    private void syncQuietly(long conv) {
        try {
            syncConversation(conv);
        } catch (RuntimeException e) {
            LOG.debug("sync of {} deferred: {}", conv, e.getMessage());
        }
    }

    /** Sends every pending message, oldest first, waiting for each ack so the relay stores them in order. */
    private void flushOutbox() {
        // Read again before each send: a message discarded while an earlier one was on its way is not sent.
        for (OutboxEntry next = nextToSend(); next != null; next = nextToSend()) {
            OutboxEntry entry = next;
            if (!connection.isConnected()) {
                return;
            }
            try {
                ServerMessage.Ack ack = await(connection.request(rid ->
                        new ClientMessage.Send(rid, entry.conv(), entry.clientId(), entry.text())),
                        ServerMessage.Ack.class);
                applyLocal(new LogEvent(entry.conv(), ack.seq(), EventKind.MESSAGE, myId(), ack.ts(),
                        entry.clientId(), entry.text(), null, null, null, null, null));
                cache.dequeue(entry.clientId());
                listeners.forEach(l -> l.outboxChanged(entry.conv()));
            } catch (ApiException e) {
                if (e.code() == ErrorCode.RATE_LIMITED || e.code() == ErrorCode.UNAVAILABLE
                        || e.code() == ErrorCode.INTERNAL_ERROR) {
                    try {
                        scheduler.schedule(() -> onWorker(this::flushOutbox), 1, TimeUnit.SECONDS);
                    } catch (RejectedExecutionException closed) {
                        LOG.debug("client closed; the outbox is flushed on the next start");
                    }
                    return;
                }
                cache.markFailed(entry.clientId(), e.getMessage());
                listeners.forEach(l -> l.outboxChanged(entry.conv()));
            } catch (NotConnectedException e) {
                return;
            }
        }
    }

    private OutboxEntry nextToSend() {
        return cache.outbox().stream().filter(entry -> !entry.failed()).findFirst().orElse(null);
    }

    /** An event this device caused (known from an ack, since the relay does not echo it back). */
    private void applyLocal(LogEvent event) {
        AppliedEvents applied = cache.applyEvents(List.of(event));
        cache.syncState(event.conv()).ifPresent(s -> {
            if (event.seq() == s.syncedSeq() + 1) {
                cache.saveSyncState(event.conv(), new SyncState(event.seq(), s.floorSeq()));
            }
        });
        updateSummary(event.conv(), applied.inserted());
        announce(event.conv(), applied);
        if (cache.syncState(event.conv()).map(s -> event.seq() > s.syncedSeq()).orElse(false)) {
            syncQuietly(event.conv());
        }
    }

    private void onPush(ServerMessage message) {
        switch (message) {
            case ServerMessage.Event pushed -> onEvent(pushed.event());
            case ServerMessage.Conversation changed -> {
                ConversationSummary c = changed.conversation();
                cache.saveConversation(c);
                cache.saveUsers(c.members().stream().map(MemberInfo::user).toList());
                listeners.forEach(Listener::conversationsChanged);
                if (c.role() != null) {
                    syncQuietly(c.id());
                }
            }
            case ServerMessage.Presence p -> {
                presence.put(p.user(), p.status());
                listeners.forEach(l -> l.presenceChanged(p.user(), p.status()));
            }
            case ServerMessage.Typing t -> {
                if (t.user() != myId()) {
                    listeners.forEach(l -> l.typing(t.conv(), t.user()));
                }
            }
            case ServerMessage.Receipt r -> onReceipt(r);
            case ServerMessage.Welcome ignored -> {
                // handled by the connection
            }
            case ServerMessage.Pong ignored -> {
                // handled by the connection
            }
            case ServerMessage.Ack ignored -> {
                // replies go to their request's future
            }
            case ServerMessage.Events ignored -> {
                // replies go to their request's future
            }
            case ServerMessage.Error ignored -> {
                // replies go to their request's future
            }
            case ServerMessage.CallRing ignored -> {
                // call frames go to CallChannel straight from the socket; they never reach the worker
            }
            case ServerMessage.CallAccepted ignored -> {
                // see CallRing
            }
            case ServerMessage.CallSignal ignored -> {
                // see CallRing
            }
            case ServerMessage.CallEnded ignored -> {
                // see CallRing
            }
        }
    }

    private void onEvent(LogEvent event) {
        long conv = event.conv();
        try {
            SyncState s = cache.syncState(conv).orElse(null);
            if (s == null) {
                syncConversation(conv);
                updateSummary(conv, List.of(event));
                notifyIncoming(event);
                return;
            }
            AppliedEvents applied = cache.applyEvents(List.of(event));
            if (event.seq() == s.syncedSeq() + 1) {
                cache.saveSyncState(conv, new SyncState(event.seq(), s.floorSeq()));
            }
            updateSummary(conv, applied.inserted());
            announce(conv, applied);
            if (event.seq() > s.syncedSeq() + 1) {
                syncConversation(conv); // a gap: fetch what was missed
            }
            if (!applied.inserted().isEmpty()) {
                notifyIncoming(event);
                connection.request(rid -> new ClientMessage.MarkDelivered(rid, conv, event.seq()))
                        .exceptionally(e -> null);
            }
            boolean aboutMe = event.member() != null && event.member() == myId();
            if (aboutMe && (event.kind() == EventKind.MEMBER_LEFT || event.kind() == EventKind.ROLE_CHANGED)) {
                refreshMembership(conv, event.kind() == EventKind.MEMBER_LEFT);
            } else if (event.kind() == EventKind.MEMBER_JOINED || event.kind() == EventKind.MEMBER_LEFT) {
                refreshMembership(conv, false);
            }
        } catch (NotConnectedException | RelayUnreachableException e) {
            LOG.debug("event handling deferred to the next sync: {}", e.getMessage());
        } catch (ApiException e) {
            if (e.code() == ErrorCode.NOT_MEMBER || e.code() == ErrorCode.NOT_FOUND) {
                // Added and removed again before this client caught up: the conversation is no longer ours.
                refreshMembership(conv, true);
            } else {
                LOG.warn("could not apply an event of conversation {}: {}", conv, e.getMessage());
            }
        }
    }

    private void refreshMembership(long conv, boolean iLeft) {
        try {
            if (iLeft) {
                cache.removeConversation(conv);
            } else {
                cache.saveConversation(auth.api().conversation(auth.accessToken(), conv));
            }
        } catch (ApiException e) {
            cache.removeConversation(conv);
        }
        listeners.forEach(Listener::conversationsChanged);
    }

    private void notifyIncoming(LogEvent event) {
        if (event.kind() != EventKind.MESSAGE || event.sender() == myId()) {
            return;
        }
        cache.conversation(event.conv()).ifPresent(c -> listeners.forEach(l -> l.incoming(c, event)));
    }

    private void onReceipt(ServerMessage.Receipt r) {
        cache.conversation(r.conv()).ifPresent(c -> {
            List<MemberInfo> members = new ArrayList<>();
            for (MemberInfo m : c.members()) {
                if (m.user().id() == r.user()) {
                    m = r.kind() == ReceiptKind.READ
                            ? new MemberInfo(m.user(), m.role(), Math.max(m.readSeq(), r.seq()),
                            Math.max(m.deliveredSeq(), r.seq()))
                            : new MemberInfo(m.user(), m.role(), m.readSeq(), Math.max(m.deliveredSeq(), r.seq()));
                }
                members.add(m);
            }
            ConversationSummary updated = r.user() == myId() && r.kind() == ReceiptKind.READ && r.seq() >= c.lastSeq()
                    ? copy(c, c.lastSeq(), r.seq(), 0, c.lastMessage(), c.lastActivity(), members)
                    : copy(c, c.lastSeq(), c.readSeq(), c.unread(), c.lastMessage(), c.lastActivity(), members);
            cache.saveConversation(updated);
            listeners.forEach(Listener::conversationsChanged);
        });
    }

    /** Keeps the list entry (last message, activity, unread count) in step with new events. */
    private void updateSummary(long conv, List<LogEvent> inserted) {
        if (inserted.isEmpty()) {
            return;
        }
        cache.conversation(conv).ifPresent(c -> {
            long lastSeq = c.lastSeq();
            long unread = c.unread();
            LogEvent lastMessage = c.lastMessage();
            long activity = c.lastActivity();
            for (LogEvent e : inserted.stream().sorted(Comparator.comparingLong(LogEvent::seq)).toList()) {
                if (e.seq() <= lastSeq) { // the relay's summary already counts it
                    continue;
                }
                lastSeq = Math.max(lastSeq, e.seq());
                activity = Math.max(activity, e.ts());
                if (e.kind() == EventKind.MESSAGE) {
                    lastMessage = e;
                    if (e.sender() != myId() && conv != activeConversation) {
                        unread++;
                    }
                }
            }
            cache.saveConversation(copy(c, lastSeq, c.readSeq(), unread, lastMessage, activity, c.members()));
            listeners.forEach(Listener::conversationsChanged);
        });
    }

    private void announce(long conv, AppliedEvents applied) {
        learnUsers(applied.inserted());
        if (!applied.inserted().isEmpty()) {
            listeners.forEach(l -> l.eventsAdded(conv, applied.inserted()));
        }
        if (!applied.updatedTargets().isEmpty()) {
            listeners.forEach(l -> l.messagesUpdated(conv, applied.updatedTargets()));
            cache.conversation(conv).ifPresent(c -> {
                if (c.lastMessage() != null) {
                    applied.updatedTargets().stream().filter(t -> t.seq() == c.lastMessage().seq()).findFirst()
                            .ifPresent(t -> {
                                cache.saveConversation(copy(c, c.lastSeq(), c.readSeq(), c.unread(), t,
                                        c.lastActivity(), c.members()));
                                listeners.forEach(Listener::conversationsChanged);
                            });
                }
            });
        }
    }

    /** Fetches the names of senders and members this device has not seen yet, so notices never show bare ids. */
    private void learnUsers(List<LogEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        Map<Long, UserSummary> known = cache.users();
        List<Long> unknown = events.stream()
                .flatMap(e -> e.member() == null ? java.util.stream.Stream.of(e.sender())
                        : java.util.stream.Stream.of(e.sender(), e.member()))
                .filter(id -> id > 0 && !known.containsKey(id)).distinct().toList();
        if (unknown.isEmpty()) {
            return;
        }
        List<UserSummary> found = new ArrayList<>();
        for (long id : unknown) {
            try {
                found.add(auth.api().user(auth.accessToken(), id));
            } catch (RuntimeException e) {
                LOG.debug("cannot look up user {}: {}", id, e.getMessage());
            }
        }
        if (!found.isEmpty()) {
            cache.saveUsers(found);
            listeners.forEach(Listener::usersChanged);
        }
    }

    private static ConversationSummary withActivity(ConversationSummary c, long at) {
        return copy(c, c.lastSeq(), c.readSeq(), c.unread(), c.lastMessage(), Math.max(at, c.lastActivity()),
                c.members());
    }

    private static ConversationSummary copy(ConversationSummary c, long lastSeq, long readSeq, long unread,
                                            LogEvent lastMessage, long lastActivity, List<MemberInfo> members) {
        return new ConversationSummary(c.id(), c.kind(), c.name(), c.topic(), c.postPolicy(), c.role(),
                c.memberCount(), members, lastSeq, readSeq, unread, lastMessage, lastActivity);
    }

    private static <T extends ServerMessage> T await(CompletableFuture<ServerMessage> future, Class<T> type) {
        try {
            return type.cast(future.get(35, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new NotConnectedException();
        } catch (TimeoutException e) {
            throw new NotConnectedException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotConnectedException();
        }
    }
}
