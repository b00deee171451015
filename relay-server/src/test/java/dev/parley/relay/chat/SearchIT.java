package dev.parley.relay.chat;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.protocol.api.SearchPage;
import dev.parley.relay.support.RestClient;
import dev.parley.relay.support.TestRelay;
import dev.parley.relay.support.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Searching a conversation's messages over REST against a real relay and its SQLite file: what matches (current text,
 * any letter case, composed or not; never deleted messages), who may search, and paging through a conversation
 * longer than one call's window without missing or repeating a hit.
 */
@Timeout(90)
class SearchIT {
    private TestRelay relay;
    private RestClient rest;
    private AuthResponse alice;
    private AuthResponse bob;
    private AuthResponse outsider;

    @BeforeEach
    void start() {
        relay = TestRelay.start();
        rest = relay.rest();
        alice = rest.newUser("alice");
        bob = rest.newUser("bob");
        outsider = rest.newUser("olaf");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void findsTheCurrentTextInAnyCaseNewestFirstAndNeverDeletedMessages() {
        long group = create(ConversationKind.GROUP, "planning").id();
        WsTestClient ws = relay.connect(alice.accessToken());
        long budget = ws.sendText(group, "Budget review on Friday").seq();
        ws.sendText(group, "lunch?");
        long shouting = ws.sendText(group, "THE BUDGET IS FINE").seq();
        long gone = ws.sendText(group, "budget draft, delete me").seq();
        long edited = ws.sendText(group, "typo here").seq();
        long mueller = ws.sendText(group, "Signed by MÜLLER").seq();
        long decomposed = ws.sendText(group, "signed by mu\u0308ller too").seq();
        ws.ack(new ClientMessage.Edit(ws.nextRid(), group, edited, "the budget, corrected"));
        ws.ack(new ClientMessage.Delete(ws.nextRid(), group, gone));

        assertEquals(List.of(edited, shouting, budget), seqs(search(bob, group, "budget", null, null)));
        assertEquals(List.of(decomposed, mueller), seqs(search(bob, group, "Müller", null, null)));
        SearchPage page = search(bob, group, "  review  ", null, null);
        assertEquals(List.of(budget), seqs(page));
        assertEquals("Budget review on Friday", page.hits().getFirst().text());
        assertTrue(page.complete());
        assertTrue(search(bob, group, "nothing like this", null, null).hits().isEmpty());
    }

    @Test
    void onlyWhoMayReadSearchesAndBadQueriesAreRefused() {
        long group = create(ConversationKind.GROUP, "private").id();
        long channel = create(ConversationKind.CHANNEL, "open").id();
        WsTestClient ws = relay.connect(alice.accessToken());
        ws.sendText(group, "secret plans");
        ws.sendText(channel, "public plans");

        assertError(get(outsider, group, "q=plans"), 403, ErrorCode.NOT_MEMBER);
        assertEquals(1, rest.as(get(outsider, channel, "q=plans"), SearchPage.class).hits().size(),
                "channels are readable by everyone");
        assertError(get(alice, 99_999, "q=plans"), 404, ErrorCode.NOT_FOUND);
        assertError(get(alice, group, ""), 400, ErrorCode.VALIDATION_FAILED);
        assertError(get(alice, group, "q=%20x%20"), 400, ErrorCode.VALIDATION_FAILED);
        assertError(get(alice, group, "q=" + "x".repeat(101)), 400, ErrorCode.VALIDATION_FAILED);
        assertError(get(alice, group, "q=plans&limit=0"), 400, ErrorCode.VALIDATION_FAILED);
        assertError(get(alice, group, "q=plans&before=abc"), 400, ErrorCode.VALIDATION_FAILED);
        assertError(get(null, group, "q=plans"), 401, ErrorCode.UNAUTHORIZED);
    }

    @Test
    void pagingThroughMoreThanOneWindowFindsEveryHitOnce() throws Exception {
        long group = create(ConversationKind.GROUP, "long").id();
        int total = 2 * ChatService.SEARCH_WINDOW + 5_000;
        // A long history written straight into the stopped relay's file, as the bench seeds it: every 1000th
        // message mentions the needle.
        relay.server().close();
        seed(group, total, i -> i % 1000 == 0 ? "a NEEDLE in message " + i : "hay " + i);
        relay = relay.restart();
        rest = relay.rest();

        List<Long> found = new ArrayList<>();
        Long before = null;
        int calls = 0;
        while (true) {
            SearchPage page = search(bob, group, "needle", before, 4);
            found.addAll(seqs(page));
            calls++;
            if (page.complete()) {
                break;
            }
            assertTrue(before == null || page.nextBefore() < before, "moves down");
            before = page.nextBefore();
            assertTrue(calls < 50, "ends");
        }
        List<Long> expected = new ArrayList<>();
        for (long seq = total; seq >= 1; seq--) {
            if (seq % 1000 == 0) {
                expected.add(seq + offset);
            }
        }
        assertEquals(expected, found, "every hit once, newest first");
        assertTrue(calls > 3, "several windows and limits were crossed: " + calls);
    }

    @Test
    void longMessagesEndAStretchEarlyWithoutLosingHits() throws Exception {
        long group = create(ConversationKind.GROUP, "essays").id();
        relay.server().close();
        String essay = "lorem ipsum ".repeat(1_250); // 15,000 characters
        seed(group, 400, i -> i % 50 == 0 ? "NEEDLE " + essay : essay);
        relay = relay.restart();
        rest = relay.rest();

        SearchPage first = search(bob, group, "needle", null, 50);
        assertFalse(first.complete(), "400 long messages are more text than one call reads");
        List<Long> found = new ArrayList<>(seqs(first));
        Long before = first.nextBefore();
        for (int calls = 1; calls < 20; calls++) {
            SearchPage page = search(bob, group, "needle", before, 50);
            found.addAll(seqs(page));
            if (page.complete()) {
                break;
            }
            before = page.nextBefore();
        }
        List<Long> expected = new ArrayList<>();
        for (long i = 400; i >= 1; i--) {
            if (i % 50 == 0) {
                expected.add(i + offset);
            }
        }
        assertEquals(expected, found);
    }

    @Test
    void aLoopOfSearchesIsRateLimited() {
        long group = create(ConversationKind.GROUP, "busy").id();
        relay = relay.restart("--searches-per-minute", "3"); // one refills every 20 s: none during the loop
        rest = relay.rest();
        int allowed = 0;
        while (allowed < 10 && get(bob, group, "q=anything").status() == 200) {
            allowed++;
        }
        assertEquals(3, allowed, "the fourth search within the minute is refused");
        assertEquals(200, get(alice, group, "q=anything").status(), "the limit is per person");
    }

    private long offset;

    /** Appends {@code count} messages to the conversation's log in the (stopped) relay's file. */
    private void seed(long conv, int count, java.util.function.IntFunction<String> text) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + relay.dataDir().resolve("parley.db"))) {
            db.setAutoCommit(false);
            long last;
            try (var st = db.prepareStatement("SELECT last_seq FROM conversations WHERE id = ?")) {
                st.setLong(1, conv);
                var rs = st.executeQuery();
                rs.next();
                last = rs.getLong(1);
            }
            offset = last;
            try (PreparedStatement st = db.prepareStatement("INSERT INTO events (conv_id, seq, kind, sender_id, ts, "
                    + "client_id, text) VALUES (?, ?, 'message', ?, ?, ?, ?)")) {
                for (int i = 1; i <= count; i++) {
                    st.setLong(1, conv);
                    st.setLong(2, last + i);
                    st.setLong(3, alice.user().id());
                    st.setLong(4, 1_000_000L + i);
                    st.setString(5, "seed-" + i);
                    st.setString(6, text.apply(i));
                    st.addBatch();
                }
                st.executeBatch();
            }
            try (PreparedStatement st = db.prepareStatement("UPDATE conversations SET last_seq = ? WHERE id = ?")) {
                st.setLong(1, last + count);
                st.setLong(2, conv);
                st.executeUpdate();
            }
            db.commit();
        }
    }

    private ConversationSummary create(ConversationKind kind, String name) {
        return rest.as(rest.post("/api/conversations", alice.accessToken(), new CreateConversationRequest(kind, name,
                null, List.of(bob.user().id()), null)), ConversationSummary.class);
    }

    private SearchPage search(AuthResponse who, long conv, String q, Long before, Integer limit) {
        String query = "q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + (before == null ? "" : "&before=" + before) + (limit == null ? "" : "&limit=" + limit);
        RestClient.Response response = get(who, conv, query);
        assertEquals(200, response.status(), response.body());
        return rest.as(response, SearchPage.class);
    }

    private RestClient.Response get(AuthResponse who, long conv, String query) {
        return rest.get("/api/conversations/" + conv + "/search?" + query, who == null ? null : who.accessToken());
    }

    private static List<Long> seqs(SearchPage page) {
        return page.hits().stream().map(LogEvent::seq).toList();
    }

    private void assertError(RestClient.Response response, int status, ErrorCode code) {
        assertEquals(status, response.status(), response.body());
        assertEquals(code.wireName(), response.tree(relay.json()).path("code").asText(), response.body());
        assertFalse(response.body().isBlank());
    }
}
