package dev.parley.desktop.chat;

import dev.parley.desktop.net.ChatClient;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.UserSummary;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The REST-backed actions of the list and the dialogs (find people, open a DM, create, join, manage members), run
 * off the UI thread; the futures complete on the background executor, so views hop back with Platform.runLater.
 */
public final class ConversationActions {
    private final ChatClient client;
    private final Executor background;

    public ConversationActions(ChatClient client, Executor background) {
        this.client = client;
        this.background = background;
    }

    public long myId() {
        return client.myId();
    }

    public CompletableFuture<List<UserSummary>> searchUsers(String query) {
        return CompletableFuture.supplyAsync(() -> client.searchUsers(query).stream()
                .filter(u -> u.id() != client.myId()).toList(), background);
    }

    public CompletableFuture<ConversationSummary> openDm(long user) {
        return CompletableFuture.supplyAsync(() -> client.openDm(user), background);
    }

    public CompletableFuture<ConversationSummary> create(ConversationKind kind, String name, String topic,
                                                        List<Long> members) {
        return CompletableFuture.supplyAsync(() -> client.create(kind, name, topic, members), background);
    }

    public CompletableFuture<List<ConversationSummary>> channels() {
        return CompletableFuture.supplyAsync(client::channels, background);
    }

    public CompletableFuture<ConversationSummary> join(long conv) {
        return CompletableFuture.supplyAsync(() -> client.join(conv), background);
    }

    public CompletableFuture<ConversationSummary> refresh(long conv) {
        return CompletableFuture.supplyAsync(() -> client.refreshConversation(conv), background);
    }

    public CompletableFuture<ConversationSummary> addMembers(long conv, List<Long> users) {
        return CompletableFuture.supplyAsync(() -> client.addMembers(conv, users), background);
    }

    public CompletableFuture<ConversationSummary> removeMember(long conv, long user) {
        return CompletableFuture.supplyAsync(() -> client.removeMember(conv, user), background);
    }

    public CompletableFuture<Void> leave(long conv) {
        return CompletableFuture.runAsync(() -> client.leave(conv), background);
    }
}
