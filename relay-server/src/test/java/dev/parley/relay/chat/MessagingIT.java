package dev.parley.relay.chat;

import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.protocol.api.MessagePage;
import dev.parley.relay.support.RestClient;
import dev.parley.relay.support.TestRelay;
import dev.parley.relay.support.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class MessagingIT {
    private TestRelay relay;
    private RestClient rest;
    private AuthResponse alice;
    private AuthResponse bob;
    private long dm;

    @BeforeEach
    void start() {
        relay = TestRelay.start();
        rest = relay.rest();
        alice = rest.newUser("alice");
        bob = rest.newUser("bob");
        dm = createDm(alice, bob.user().id());
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private long createDm(AuthResponse from, long to) {
        RestClient.Response response = rest.post("/api/conversations", from.accessToken(),
                new CreateConversationRequest(ConversationKind.DM, null, null, List.of(to), null));
        assertEquals(201, response.status(), response.body());
        return rest.as(response, ConversationSummary.class).id();
    }

    @Test
    void aMessageIsAckedWithItsSeqAndReachesEveryDeviceOfEveryMember() {
        AuthResponse aliceLaptop = alice;
        AuthResponse alicePhone = rest.login(alice.user().username(), RestClient.PASSWORD, "phone");
        WsTestClient laptop = relay.connect(aliceLaptop.accessToken());
        WsTestClient phone = relay.connect(alicePhone.accessToken());
        WsTestClient bobClient = relay.connect(bob.accessToken());

        ServerMessage.Ack ack = laptop.sendText(dm, "hello bob");

        assertEquals(dm, ack.conv());
        assertTrue(ack.seq() > 0);
        assertEquals(Boolean.FALSE, ack.duplicate());
        LogEvent atBob = bobClient.await(ServerMessage.Event.class, e -> e.event().seq() == ack.seq()).event();
        LogEvent atPhone = phone.await(ServerMessage.Event.class, e -> e.event().seq() == ack.seq()).event();
        assertEquals("hello bob", atBob.text());
        assertEquals(alice.user().id(), atBob.sender());
        assertEquals(atBob, atPhone);
        assertTrue(laptop.receivedOf(ServerMessage.Event.class).stream()
                        .noneMatch(e -> e.event().seq() == ack.seq()),
                "the sending connection gets the ack, not a copy of its own event");
    }

    @Test
    void resendingAClientIdReturnsTheOriginalSeqAndStoresNothingNew() {
        WsTestClient client = relay.connect(alice.accessToken());
        String clientId = UUID.randomUUID().toString();

        ServerMessage.Ack first = client.ack(new ClientMessage.Send(client.nextRid(), dm, clientId, "once"));
        ServerMessage.Ack retry = client.ack(new ClientMessage.Send(client.nextRid(), dm, clientId, "once"));

        assertEquals(first.seq(), retry.seq());
        assertEquals(first.ts(), retry.ts());
        assertEquals(Boolean.TRUE, retry.duplicate());
        MessagePage page = rest.as(rest.get("/api/conversations/" + dm + "/messages?after=0", bob.accessToken()),
                MessagePage.class);
        assertEquals(1, page.events().stream().filter(e -> e.kind() == EventKind.MESSAGE).count());
        assertEquals(first.seq(), page.lastSeq());
    }

    @Test
    void aForgedSenderFieldIsIgnored() {
        WsTestClient client = relay.connect(alice.accessToken());
        WsTestClient bobClient = relay.connect(bob.accessToken());
        String forged = """
                {"type":"send","rid":"f1","conv":%d,"clientId":"%s","text":"who am I","sender":%d}"""
                .formatted(dm, UUID.randomUUID(), bob.user().id());

        client.sendRaw(forged);

        ServerMessage.Ack ack = (ServerMessage.Ack) client.reply("f1");
        LogEvent event = bobClient.await(ServerMessage.Event.class, e -> e.event().seq() == ack.seq()).event();
        assertEquals(alice.user().id(), event.sender());
    }

    @Test
    void editAndDeleteAreLoggedAndChangeTheStoredMessage() {
        WsTestClient client = relay.connect(alice.accessToken());
        WsTestClient bobClient = relay.connect(bob.accessToken());
        long seq = client.sendText(dm, "first draft").seq();

        ServerMessage.Ack edit = client.ack(new ClientMessage.Edit(client.nextRid(), dm, seq, "final text"));
        LogEvent edited = bobClient.await(ServerMessage.Event.class, e -> e.event().seq() == edit.seq()).event();
        assertEquals(EventKind.EDITED, edited.kind());
        assertEquals(seq, edited.target());
        assertEquals("final text", edited.text());

        ServerMessage.Error notYours = bobClient.error(new ClientMessage.Edit(bobClient.nextRid(), dm, seq, "mine"));
        assertEquals(ErrorCode.FORBIDDEN, notYours.code());

        ServerMessage.Ack delete = client.ack(new ClientMessage.Delete(client.nextRid(), dm, seq));
        LogEvent deleted = bobClient.await(ServerMessage.Event.class, e -> e.event().seq() == delete.seq()).event();
        assertEquals(EventKind.DELETED, deleted.kind());

        ServerMessage.Events page = (ServerMessage.Events) client.request(
                new ClientMessage.Sync(client.nextRid(), dm, 0, null));
        LogEvent stored = page.events().stream().filter(e -> e.seq() == seq).findFirst().orElseThrow();
        assertEquals(Boolean.TRUE, stored.deleted());
        assertNull(stored.text());
        assertTrue(stored.editedAt() != null);
        assertEquals(ErrorCode.CONFLICT,
                client.error(new ClientMessage.Edit(client.nextRid(), dm, seq, "again")).code());
    }

    @Test
    void syncAndHistoryPageWithoutGapsInBothDirections() {
        WsTestClient client = relay.connect(alice.accessToken());
        for (int i = 0; i < 25; i++) {
            client.sendText(dm, "message " + i);
        }
        long lastSeq = client.sendText(dm, "last").seq();

        List<Long> forward = new java.util.ArrayList<>();
        long after = 0;
        boolean more = true;
        while (more) {
            ServerMessage.Events page = (ServerMessage.Events) client.request(
                    new ClientMessage.Sync(client.nextRid(), dm, after, 10));
            page.events().forEach(e -> forward.add(e.seq()));
            after = page.events().getLast().seq();
            more = page.hasMore();
            assertEquals(lastSeq, page.lastSeq());
        }
        List<Long> backward = new java.util.ArrayList<>();
        Long before = null;
        more = true;
        while (more) {
            ServerMessage.Events page = (ServerMessage.Events) client.request(
                    new ClientMessage.History(client.nextRid(), dm, before, 7));
            backward.addAll(0, page.events().stream().map(LogEvent::seq).toList());
            before = page.events().getFirst().seq();
            more = page.hasMore();
        }
        List<Long> expected = java.util.stream.LongStream.rangeClosed(1, lastSeq).boxed().toList();
        assertEquals(expected, forward);
        assertEquals(expected, backward);

        MessagePage rest1 = rest.as(rest.get("/api/conversations/" + dm + "/messages?before=" + lastSeq
                + "&limit=5", bob.accessToken()), MessagePage.class);
        assertEquals(List.of(lastSeq - 5, lastSeq - 4, lastSeq - 3, lastSeq - 2, lastSeq - 1),
                rest1.events().stream().map(LogEvent::seq).toList());
        assertTrue(rest1.hasMore());
    }

    @Test
    void typingReceiptsAndUnreadCounts() {
        WsTestClient client = relay.connect(alice.accessToken());
        WsTestClient bobClient = relay.connect(bob.accessToken());

        client.send(new ClientMessage.Typing(dm));
        ServerMessage.Typing typing = bobClient.await(ServerMessage.Typing.class, t -> t.conv() == dm);
        assertEquals(alice.user().id(), typing.user());

        client.sendText(dm, "one");
        long two = client.sendText(dm, "two").seq();
        ConversationSummary beforeRead = bobsView();
        assertEquals(2, beforeRead.unread());
        assertEquals("two", beforeRead.lastMessage().text());

        ServerMessage.Ack read = bobClient.ack(new ClientMessage.MarkRead(bobClient.nextRid(), dm, two));
        assertEquals(two, read.seq());
        ServerMessage.Receipt receipt = client.await(ServerMessage.Receipt.class, r -> r.user() == bob.user().id());
        assertEquals(two, receipt.seq());
        assertEquals(0, bobsView().unread());

        ServerMessage.Ack capped = bobClient.ack(new ClientMessage.MarkRead(bobClient.nextRid(), dm, 10_000));
        assertEquals(two, capped.seq(), "a read mark never passes the last seq");
    }

    @Test
    void typingInAConversationThatDoesNotExistIsNotFoundAndInAnotherGroupNotMember() {
        WsTestClient client = relay.connect(alice.accessToken());
        client.send(new ClientMessage.Typing(987_654_321L));
        ServerMessage.Error missing = client.await(ServerMessage.Error.class, e -> e.rid() == null);
        assertEquals(ErrorCode.NOT_FOUND, missing.code(), missing.message());

        AuthResponse carol = rest.newUser("carol");
        long theirs = rest.as(rest.post("/api/conversations", bob.accessToken(), new CreateConversationRequest(
                ConversationKind.GROUP, "Bob and Carol", null, List.of(carol.user().id()), null)),
                ConversationSummary.class).id();
        client.send(new ClientMessage.Typing(theirs));
        client.await(ServerMessage.Error.class, e -> client.receivedOf(ServerMessage.Error.class).size() >= 2);
        assertEquals(ErrorCode.NOT_MEMBER, client.receivedOf(ServerMessage.Error.class).get(1).code());
    }

    private ConversationSummary bobsView() {
        List<ConversationSummary> list = rest.as(rest.get("/api/conversations", bob.accessToken()),
                new com.fasterxml.jackson.core.type.TypeReference<List<ConversationSummary>>() {
                });
        return list.stream().filter(c -> c.id() == dm).findFirst().orElseThrow();
    }

    @Test
    void aNonMemberCanNeitherReadWriteNorListAConversation() {
        AuthResponse mallory = rest.newUser("mallory");
        WsTestClient client = relay.connect(mallory.accessToken());

        assertEquals(ErrorCode.NOT_MEMBER, client.error(new ClientMessage.Send(client.nextRid(), dm,
                UUID.randomUUID().toString(), "let me in")).code());
        assertEquals(ErrorCode.NOT_MEMBER, client.error(new ClientMessage.Sync(client.nextRid(), dm, 0, null)).code());
        assertEquals(403, rest.get("/api/conversations/" + dm + "/messages", mallory.accessToken()).status());
        assertEquals(403, rest.get("/api/conversations/" + dm, mallory.accessToken()).status());
        List<ConversationSummary> listed = rest.as(rest.get("/api/conversations", mallory.accessToken()),
                new com.fasterxml.jackson.core.type.TypeReference<List<ConversationSummary>>() {
                });
        assertFalse(listed.stream().anyMatch(c -> c.id() == dm));
    }
}
