package dev.parley.desktop.chat;

import dev.parley.desktop.net.ApiException;
import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.net.NotConnectedException;
import dev.parley.desktop.net.RelayUnreachableException;
import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.Limits;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.MemberInfo;
import dev.parley.protocol.MemberRole;
import dev.parley.protocol.PostPolicy;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The details of one group or channel: its name, topic and (channels) who may post, which managers change; its
 * members, whom managers add and remove and whose roles the owner sets (handing ownership over included); and
 * leaving. Only what the user's role allows is offered, so the relay's refusals are the exception (someone else
 * changed the user's role meanwhile) and are then explained. Network work runs on {@code background}; every
 * property changes on {@code ui} (Platform::runLater in the app, a test thread in tests).
 */
public final class ConversationDetailsViewModel implements AutoCloseable {
    private static final Comparator<MemberInfo> BY_ROLE_THEN_NAME = Comparator
            .comparing((MemberInfo m) -> m.role().ordinal())
            .thenComparing(m -> ConversationListViewModel.displayName(m.user()).toLowerCase(Locale.ROOT));

    private final ChatClient client;
    private final I18n i18n;
    private final Executor ui;
    private final Executor background;
    private final long conv;
    private final ReadOnlyObjectWrapper<ConversationSummary> conversation = new ReadOnlyObjectWrapper<>();
    private final ObservableList<MemberInfo> members = FXCollections.observableArrayList();
    private final ObservableList<MemberInfo> readOnlyMembers = FXCollections.unmodifiableObservableList(members);
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty topic = new SimpleStringProperty("");
    private final BooleanProperty adminsOnly = new SimpleBooleanProperty();
    private final BooleanProperty muted = new SimpleBooleanProperty();
    private final ReadOnlyBooleanWrapper canEdit = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper owner = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper channel = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper member = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper canSave = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper();
    /** What the form was filled from: only fields that differ from it are the user's edits, and only they are sent. */
    private ConversationSummary base;
    /** Numbers of the requests whose answers replace the whole view, the last started and the last applied. */
    private long requested;
    private long applied;
    private boolean refreshing;
    private boolean refreshAgain;
    private final ChatClient.Listener listener = new ChatClient.Listener() {
        @Override
        public void conversationsChanged() {
            ConversationSummary fresh = client.conversation(conv).orElse(null);
            if (fresh != null) {
                ui.execute(() -> show(fresh));
            }
        }

        @Override
        public void eventsAdded(long changed, List<LogEvent> events) {
            // Someone joined, left or changed role: the member list (fetched, for channels) is out of date.
            if (changed == conv && events.stream().anyMatch(e -> e.kind() == EventKind.MEMBER_JOINED
                    || e.kind() == EventKind.MEMBER_LEFT || e.kind() == EventKind.ROLE_CHANGED)) {
                ui.execute(ConversationDetailsViewModel.this::refreshQuietly);
            }
        }
    };

    public ConversationDetailsViewModel(ChatClient client, I18n i18n, Executor ui, Executor background, long conv) {
        this.client = client;
        this.i18n = i18n;
        this.ui = ui;
        this.background = background;
        this.conv = conv;
        name.addListener((o, was, now) -> validate());
        topic.addListener((o, was, now) -> validate());
        adminsOnly.addListener((o, was, now) -> validate());
        busy.addListener((o, was, now) -> validate());
        client.conversation(conv).ifPresent(this::show);
        muted.set(client.muted().contains(conv));
        // Local to this device, so it takes effect at once, with no Save.
        muted.addListener((o, was, now) -> client.setMuted(conv, now));
        client.addListener(listener);
    }

    // ---- properties --------------------------------------------------------------------------------------------

    public ReadOnlyObjectProperty<ConversationSummary> conversationProperty() {
        return conversation.getReadOnlyProperty();
    }

    /** Owner first, then admins, then members, each by name. */
    public ObservableList<MemberInfo> members() {
        return readOnlyMembers;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty topicProperty() {
        return topic;
    }

    /** Channels only: whether only the owner and admins may post. */
    public BooleanProperty adminsOnlyProperty() {
        return adminsOnly;
    }

    /** No desktop notifications from this conversation on this device (anyone may; nothing goes to the relay). */
    public BooleanProperty mutedProperty() {
        return muted;
    }

    /** Owners and admins change the name, topic and posting, and add and remove members. */
    public ReadOnlyBooleanProperty canEditProperty() {
        return canEdit.getReadOnlyProperty();
    }

    /** Only the owner sets roles. */
    public ReadOnlyBooleanProperty ownerProperty() {
        return owner.getReadOnlyProperty();
    }

    /** False for a channel the user only looks at: nothing to leave. */
    public ReadOnlyBooleanProperty memberProperty() {
        return member.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty channelProperty() {
        return channel.getReadOnlyProperty();
    }

    /** Something changed, it is valid, and nothing is being saved. */
    public ReadOnlyBooleanProperty canSaveProperty() {
        return canSave.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Why the edited details cannot be saved (blank or too long), or null. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The last action that failed, explained; cleared by the next action. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The last action that worked ("Saved."), cleared by the next action. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    // ---- what the user may do with a member --------------------------------------------------------------------

    /** The roles the owner may give {@code member}: never for oneself; ownership always (a hand-over). */
    public List<MemberRole> roleChoices(MemberInfo member) {
        if (!owner.get() || member.user().id() == client.myId()) {
            return List.of();
        }
        List<MemberRole> choices = new ArrayList<>();
        switch (member.role()) {
            case OWNER -> {
                // Only one owner: the user is not it, so there is nothing to offer.
                return List.of();
            }
            case ADMIN -> choices.add(MemberRole.MEMBER);
            case MEMBER -> choices.add(MemberRole.ADMIN);
        }
        choices.add(MemberRole.OWNER);
        return choices;
    }

    /** Managers remove members; nobody removes the owner, and only the owner removes an admin. */
    public boolean canRemove(MemberInfo member) {
        if (!canEdit.get() || member.user().id() == client.myId()) {
            return false;
        }
        return switch (member.role()) {
            case OWNER -> false;
            case ADMIN -> owner.get();
            case MEMBER -> true;
        };
    }

    /** The owner cannot leave while others remain: ownership must go to someone first. */
    public boolean leaveBlocked() {
        ConversationSummary c = conversation.get();
        return owner.get() && c != null && c.memberCount() > 1;
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    /** Fetches the conversation with its member list (channel summaries carry none). */
    public CompletableFuture<Void> load() {
        return run(() -> withMembers(client.refreshConversation(conv)), this::show, null);
    }

    /**
     * Saves the fields the user changed, and only those: a name someone else changed meanwhile stays theirs unless
     * the user edited the name too.
     */
    public CompletableFuture<Void> save() {
        ConversationSummary from = base;
        if (!canSave.get() || from == null) {
            return CompletableFuture.completedFuture(null);
        }
        String newName = name.get().strip().equals(nameOf(from)) ? null : name.get().strip();
        String newTopic = topic.get().strip().equals(topicOf(from)) ? null : topic.get().strip();
        PostPolicy newPolicy = from.kind() == ConversationKind.CHANNEL && adminsOnly.get() != adminsOnly(from)
                ? (adminsOnly.get() ? PostPolicy.ADMINS : PostPolicy.EVERYONE) : null;
        return run(() -> client.updateConversation(conv, newName, newTopic, newPolicy), saved -> {
            showFields(saved);
            show(saved);
        }, "details.saved");
    }

    public CompletableFuture<Void> setRole(MemberInfo member, MemberRole role) {
        if (!roleChoices(member).contains(role)) {
            return CompletableFuture.completedFuture(null);
        }
        return run(() -> withMembers(client.setRole(conv, member.user().id(), role)), this::show,
                "details.role.changed." + role.name().toLowerCase(Locale.ROOT));
    }

    public CompletableFuture<Void> remove(MemberInfo member) {
        if (!canRemove(member)) {
            return CompletableFuture.completedFuture(null);
        }
        return run(() -> withMembers(client.removeMember(conv, member.user().id())), this::show, null);
    }

    public CompletableFuture<Void> addMembers(List<Long> users) {
        if (!canEdit.get() || users.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return run(() -> withMembers(client.addMembers(conv, users)), this::show, null);
    }

    /** Leaves the conversation; completes exceptionally (with the reason shown) when the relay refuses. */
    public CompletableFuture<Void> leave() {
        if (leaveBlocked()) {
            error.set(i18n.t("details.error.ownerLeaves"));
            return CompletableFuture.failedFuture(new IllegalStateException(error.get()));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        start();
        submit(() -> {
            client.leave(conv);
            return null;
        }).whenComplete((ok, failure) ->
                ui.execute(() -> {
                    busy.set(false);
                    if (failure == null) {
                        done.complete(null);
                    } else {
                        error.set(explain(failure));
                        done.completeExceptionally(failure);
                    }
                }));
        return done;
    }

    @Override
    public void close() {
        client.removeListener(listener);
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    /**
     * A background refresh nobody waits for (failures leave the list as it was). On the UI thread. A burst of
     * changes (a dozen people joining a channel) costs one refresh in flight plus one after it, not one each.
     */
    private void refreshQuietly() {
        if (refreshing) {
            refreshAgain = true;
            return;
        }
        refreshing = true;
        long generation = ++requested;
        submit(() -> withMembers(client.refreshConversation(conv))).whenComplete((fresh, failure) ->
                ui.execute(() -> {
                    refreshing = false;
                    if (fresh != null && current(generation)) {
                        show(fresh);
                    }
                    if (refreshAgain) {
                        refreshAgain = false;
                        refreshQuietly();
                    }
                }));
    }

    /** Runs in the background: a channel's summary with its members fetched; others as they are. */
    private ConversationSummary withMembers(ConversationSummary c) {
        if (c.kind() != ConversationKind.CHANNEL) {
            return c;
        }
        return new ConversationSummary(c.id(), c.kind(), c.name(), c.topic(), c.postPolicy(), c.role(),
                c.memberCount(), client.members(conv), c.lastSeq(), c.readSeq(), c.unread(), c.lastMessage(),
                c.lastActivity());
    }

    private void start() {
        busy.set(true);
        error.set(null);
        status.set(null);
    }

    /**
     * Runs {@code work} in the background, applies its answer on the UI thread and says {@code doneKey} (if any);
     * a failure is explained in {@link #errorProperty()} and the returned future still completes normally, so views
     * need no error handling of their own.
     */
    private CompletableFuture<Void> run(Supplier<ConversationSummary> work, Consumer<ConversationSummary> apply,
                                        String doneKey) {
        start();
        long generation = ++requested;
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(work).whenComplete((result, failure) -> ui.execute(() -> {
            try {
                busy.set(false);
                if (failure == null) {
                    if (current(generation)) {
                        apply.accept(result);
                    }
                    if (doneKey != null) {
                        status.set(i18n.t(doneKey));
                    }
                } else {
                    error.set(explain(failure));
                }
            } finally {
                done.complete(null);
            }
        }));
        return done;
    }

    /** {@code work} on the background executor; one that refuses it (closing down) fails the future instead. */
    private <T> CompletableFuture<T> submit(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, background);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Whether the answer to request {@code generation} is still news: answers arrive in any order, and one to an
     * older request (a refresh started before a role change) must not undo a newer one.
     */
    private boolean current(long generation) {
        if (generation < applied) {
            return false;
        }
        applied = generation;
        return true;
    }

    private void show(ConversationSummary fresh) {
        boolean untouched = base == null || !dirty();
        MemberRole role = fresh.role();
        // The role first: whoever listens to the conversation reads it.
        canEdit.set(role != null && role.canManage() && fresh.kind() != ConversationKind.DM);
        owner.set(role == MemberRole.OWNER);
        member.set(role != null);
        channel.set(fresh.kind() == ConversationKind.CHANNEL);
        // Channel summaries pushed to members carry no member list; keep the one fetched rather than emptying it.
        if (!fresh.members().isEmpty() || fresh.kind() != ConversationKind.CHANNEL) {
            List<MemberInfo> sorted = new ArrayList<>(fresh.members());
            sorted.sort(BY_ROLE_THEN_NAME);
            // Most pushes (a message, a receipt) change nothing here: leave the list, and its selection, alone.
            if (!sorted.equals(members)) {
                members.setAll(sorted);
            }
        }
        conversation.set(fresh);
        if (untouched) {
            showFields(fresh);
        }
        validate();
    }

    private void showFields(ConversationSummary c) {
        base = c;
        name.set(nameOf(c));
        topic.set(topicOf(c));
        adminsOnly.set(adminsOnly(c));
    }

    private boolean dirty() {
        return !name.get().strip().equals(nameOf(base)) || !topic.get().strip().equals(topicOf(base))
                || (base.kind() == ConversationKind.CHANNEL && adminsOnly.get() != adminsOnly(base));
    }

    private void validate() {
        String trimmedName = name.get() == null ? "" : name.get().strip();
        String trimmedTopic = topic.get() == null ? "" : topic.get().strip();
        if (trimmedName.isEmpty()) {
            problem.set(i18n.t("details.problem.nameRequired"));
        } else if (trimmedName.length() > Limits.MAX_CONVERSATION_NAME_LENGTH) {
            problem.set(i18n.t("details.problem.nameTooLong", Limits.MAX_CONVERSATION_NAME_LENGTH));
        } else if (trimmedTopic.length() > Limits.MAX_TOPIC_LENGTH) {
            problem.set(i18n.t("details.problem.topicTooLong", Limits.MAX_TOPIC_LENGTH));
        } else {
            problem.set(null);
        }
        canSave.set(base != null && canEdit.get() && !busy.get() && problem.get() == null && dirty());
    }

    private String explain(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof NotConnectedException || cause instanceof RelayUnreachableException) {
            return i18n.t("details.error.offline");
        }
        if (cause instanceof ApiException api) {
            ErrorCode code = api.code();
            if (code == ErrorCode.FORBIDDEN || code == ErrorCode.NOT_MEMBER) {
                return i18n.t("details.error.forbidden");
            }
            if (code == ErrorCode.CONFLICT) {
                return i18n.t("details.error.ownerLeaves");
            }
        }
        return i18n.t("error.generic", cause.getMessage());
    }

    private static String nameOf(ConversationSummary c) {
        return c.name() == null ? "" : c.name();
    }

    private static String topicOf(ConversationSummary c) {
        return c.topic() == null ? "" : c.topic();
    }

    private static boolean adminsOnly(ConversationSummary c) {
        return c.postPolicy() == PostPolicy.ADMINS;
    }
}
