package dev.parley.desktop.chat;

import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.ui.I18n;
import dev.parley.desktop.ui.Refusals;
import dev.parley.protocol.Limits;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.api.SearchPage;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.concurrent.Executor;

/**
 * "Find in this conversation": the relay searches one stretch of the log per call (see docs/protocol.md), so this
 * asks again while a search has found nothing yet and older messages remain, a few stretches at a time, and offers
 * "search older" after that. Answers to an older query or another conversation are dropped.
 */
public final class SearchViewModel {
    /** Stretches looked at per user action: enough for most conversations, few enough for the relay's limit. */
    static final int CALLS_PER_ACTION = 5;

    private final ChatClient client;
    private final Executor ui;
    private final Executor background;
    private final I18n i18n;
    private final StringProperty query = new SimpleStringProperty("");
    private final ObservableList<LogEvent> results = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper more = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private long conv;
    private String searched;
    private Long nextBefore;
    /** Bumped by every new search, conversation switch and reset: older answers carry an older number. */
    private long generation;

    public SearchViewModel(ChatClient client, Executor ui, Executor background, I18n i18n) {
        this.client = client;
        this.ui = ui;
        this.background = background;
        this.i18n = i18n;
    }

    public StringProperty queryProperty() {
        return query;
    }

    public ObservableList<LogEvent> results() {
        return results;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Older messages are left to search. */
    public ReadOnlyBooleanProperty moreProperty() {
        return more.getReadOnlyProperty();
    }

    /** What the search found or why it could not: a line under the field. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The conversation to search; a switch forgets the last search. */
    public void conversation(long conv) {
        if (conv != this.conv) {
            this.conv = conv;
            reset();
        }
    }

    public void reset() {
        generation++;
        results.clear();
        searched = null;
        nextBefore = null;
        busy.set(false);
        more.set(false);
        status.set("");
    }

    /** Enter in the field: a new search for what it holds. */
    public void search() {
        String text = query.get() == null ? "" : query.get().strip();
        if (conv == 0) {
            return;
        }
        reset();
        // The relay's bounds, checked here to say so in the user's language.
        if (text.length() < Limits.MIN_SEARCH_LENGTH || text.length() > Limits.MAX_SEARCH_LENGTH) {
            status.set(i18n.t(text.length() < Limits.MIN_SEARCH_LENGTH ? "search.tooShort" : "search.tooLong",
                    Limits.MAX_SEARCH_LENGTH));
            return;
        }
        searched = text;
        fetch(CALLS_PER_ACTION);
    }

    /** "Search older messages": the next stretches of the same search. */
    public void searchOlder() {
        if (searched != null && more.get() && !busy.get()) {
            fetch(CALLS_PER_ACTION);
        }
    }

    private void fetch(int callsLeft) {
        long mine = generation;
        long conversation = conv;
        String text = searched;
        Long before = nextBefore;
        busy.set(true);
        background.execute(() -> {
            try {
                SearchPage page = client.search(conversation, text, before, Limits.DEFAULT_SEARCH_HITS);
                ui.execute(() -> {
                    if (mine != generation) {
                        return;
                    }
                    results.addAll(page.hits());
                    nextBefore = page.nextBefore();
                    more.set(!page.complete());
                    // Nothing in this stretch yet and more to look at: go on without a click, a few times.
                    if (page.hits().isEmpty() && !page.complete() && callsLeft > 1) {
                        fetch(callsLeft - 1);
                        return;
                    }
                    busy.set(false);
                    status.set(summary());
                });
            } catch (RuntimeException e) {
                String why = failure(e);
                ui.execute(() -> {
                    if (mine == generation) {
                        busy.set(false);
                        status.set(why);
                    }
                });
            }
        });
    }

    /** What a result shows of its message: the first match of the search that found it, with context. */
    public SearchSnippet snippet(LogEvent hit) {
        return SearchSnippet.of(hit.text(), searched);
    }

    /** A result the chat could not bring in (too far back, or gone since the search). */
    public void notShown() {
        status.set(i18n.t("search.notShown"));
    }

    private String summary() {
        if (results.isEmpty()) {
            return i18n.t(more.get() ? "search.noneYet" : "search.none");
        }
        return i18n.t(more.get() ? "search.foundSoFar" : "search.found", results.size());
    }

    private String failure(RuntimeException e) {
        return Refusals.describe(i18n, e, "search.offline");
    }
}
