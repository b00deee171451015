package dev.parley.desktop.chat;

import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.UserSummary;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The REST-backed actions of the list and the dialogs (find people, open a DM, create, join), run
 * off the UI thread; the futures complete on the background executor, so views hop back with Platform.runLater.
 */
public final class ConversationActions {
    private final ChatClient client;
    private final Executor background;

    public ConversationActions(ChatClient client, Executor background) {
        this.client = client;
        this.background = background;
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

    /** The details of a group or channel, updated on {@code ui}; close it when its view goes away. */
    public ConversationDetailsViewModel details(long conv, I18n i18n, Executor ui) {
        return new ConversationDetailsViewModel(client, i18n, ui, background, conv);
    }
}
