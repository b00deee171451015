package dev.parley.relay.chat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.parley.protocol.ClientMessage;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.Limits;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.MemberInfo;
import dev.parley.protocol.MemberRole;
import dev.parley.protocol.PostPolicy;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.api.AddMembersRequest;
import dev.parley.protocol.api.ApiErrorBody;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.protocol.api.MemberPage;
import dev.parley.protocol.api.MessagePage;
import dev.parley.protocol.api.RoleRequest;
import dev.parley.protocol.api.UpdateConversationRequest;
import dev.parley.relay.support.RestClient;
import dev.parley.relay.support.TestRelay;
import dev.parley.relay.support.WsTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conversations and membership against a real relay: DMs, groups with roles, channels, and the conversation list. */
@Timeout(60)
class ConversationIT {
    private static final TypeReference<List<ConversationSummary>> SUMMARIES = new TypeReference<>() {
    };

    private TestRelay relay;
    private RestClient rest;
    private AuthResponse alice;
    private AuthResponse bob;
    private AuthResponse carol;
    private AuthResponse dave;

    @BeforeEach
    void start() {
        relay = TestRelay.start();
        rest = relay.rest();
        alice = rest.newUser("alice");
        bob = rest.newUser("bob");
        carol = rest.newUser("carol");
        dave = rest.newUser("dave");
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    // ---- DMs -------------------------------------------------------------------------------------------------------

    @Test
    void aPairHasOneDmWhoeverCreatesIt() {
        RestClient.Response first = createDm(alice, id(bob));
        assertEquals(201, first.status(), first.body());
        ConversationSummary dm = rest.as(first, ConversationSummary.class);
        assertEquals(ConversationKind.DM, dm.kind());
        assertEquals(2, dm.memberCount());
        assertEquals(MemberRole.MEMBER, dm.role(), "a DM has no owner: both sides are plain members");

        ConversationSummary again = existing(createDm(alice, id(bob)));
        ConversationSummary fromBob = existing(createDm(bob, id(alice)));
        ConversationSummary namingBoth = existing(create(bob, new CreateConversationRequest(ConversationKind.DM, null,
                null, List.of(id(alice), id(bob)), null)));
        assertEquals(dm.id(), again.id());
        assertEquals(dm.id(), fromBob.id());
        assertEquals(dm.id(), namingBoth.id());

        assertEquals(1, list(alice).stream().filter(c -> c.kind() == ConversationKind.DM).count());
        assertEquals(1, list(bob).stream().filter(c -> c.kind() == ConversationKind.DM).count());
        List<LogEvent> log = log(alice, dm.id());
        assertEquals(1, log.stream().filter(e -> e.kind() == EventKind.CREATED).count(),
                "asking again must not create (or log) a second DM: " + log);

        ConversationSummary withCarol = dm(carol, alice);
        assertTrue(withCarol.id() != dm.id(), "another pair gets its own DM");
    }

    @Test
    void aDmNamesExactlyOneOtherUserWhoExists() {
        assertError(createDm(alice, id(alice)), 400, ErrorCode.VALIDATION_FAILED);
        assertError(create(alice, new CreateConversationRequest(ConversationKind.DM, null, null,
                List.of(id(bob), id(carol)), null)), 400, ErrorCode.VALIDATION_FAILED);
        assertError(create(alice, new CreateConversationRequest(ConversationKind.DM, null, null, List.of(), null)),
                400, ErrorCode.VALIDATION_FAILED);
        assertError(createDm(alice, 987_654_321L), 404, ErrorCode.NOT_FOUND);
        assertTrue(list(alice).isEmpty(), "refused requests create nothing");
    }

    @Test
    void aDmCannotBeExtendedRenamedOrLeft() {
        long dm = dm(alice, bob).id();

        assertError(addMembers(alice, dm, id(carol)), 403, ErrorCode.FORBIDDEN);
        assertError(rest.patch("/api/conversations/" + dm, alice.accessToken(),
                new UpdateConversationRequest("renamed", null, null)), 403, ErrorCode.FORBIDDEN);
        assertError(leave(bob, dm), 403, ErrorCode.FORBIDDEN);
        assertEquals(2, conversation(alice, dm).memberCount());
        assertFalse(list(carol).stream().anyMatch(c -> c.id() == dm));
    }

    // ---- groups ----------------------------------------------------------------------------------------------------

    @Test
    void theCreatorOwnsAGroupAndMembersHearOfItOverWebSocket() {
        WsTestClient bobWs = relay.connect(bob.accessToken());
        WsTestClient carolWs = relay.connect(carol.accessToken());

        ConversationSummary group = group(alice, "Project X", bob, carol);

        assertEquals(ConversationKind.GROUP, group.kind());
        assertEquals("Project X", group.name());
        assertEquals(MemberRole.OWNER, group.role());
        assertEquals(3, group.memberCount());
        assertEquals(Map.of(id(alice), MemberRole.OWNER, id(bob), MemberRole.MEMBER, id(carol), MemberRole.MEMBER),
                roles(group));

        for (WsTestClient ws : List.of(bobWs, carolWs)) {
            ConversationSummary announced = ws.await(ServerMessage.Conversation.class,
                    c -> c.conversation().id() == group.id()).conversation();
            assertEquals(ConversationKind.GROUP, announced.kind());
            assertEquals("Project X", announced.name());
            assertEquals(MemberRole.MEMBER, announced.role());
            assertEquals(3, announced.memberCount());
            for (AuthResponse member : List.of(alice, bob, carol)) {
                LogEvent joined = ws.await(ServerMessage.Event.class, joined(group.id(), id(member))).event();
                assertEquals(id(alice), joined.sender(), "the creator added everyone");
            }
        }
        LogEvent ownerJoined = bobWs.await(ServerMessage.Event.class, joined(group.id(), id(alice))).event();
        assertEquals(MemberRole.OWNER, ownerJoined.role());
        assertEquals(MemberRole.MEMBER, conversation(carol, group.id()).role());
        assertTrue(list(bob).stream().anyMatch(c -> c.id() == group.id()));
    }

    @Test
    void aGroupOrChannelNeedsANameWithinTheLimit() {
        String longest = "n".repeat(Limits.MAX_CONVERSATION_NAME_LENGTH);

        assertError(create(alice, new CreateConversationRequest(ConversationKind.GROUP, null, null, List.of(id(bob)),
                null)), 400, ErrorCode.VALIDATION_FAILED);
        assertError(create(alice, new CreateConversationRequest(ConversationKind.GROUP, "   ", null,
                List.of(id(bob)), null)), 400, ErrorCode.VALIDATION_FAILED);
        assertError(create(alice, new CreateConversationRequest(ConversationKind.CHANNEL, null, null, List.of(),
                null)), 400, ErrorCode.VALIDATION_FAILED);
        assertError(create(alice, new CreateConversationRequest(ConversationKind.GROUP, longest + "x", null,
                List.of(id(bob)), null)), 400, ErrorCode.TOO_LONG);
        assertError(create(alice, new CreateConversationRequest(ConversationKind.GROUP, "ok", "t".repeat(
                Limits.MAX_TOPIC_LENGTH + 1), List.of(id(bob)), null)), 400, ErrorCode.TOO_LONG);
        assertError(create(alice, new CreateConversationRequest(ConversationKind.GROUP, "ghosts", null,
                List.of(id(bob), 987_654_321L), null)), 404, ErrorCode.NOT_FOUND);
        assertTrue(list(alice).isEmpty(), "refused requests create nothing");

        assertEquals(longest, group(alice, longest, bob).name());
        assertEquals("padded", group(alice, "  padded  ", bob).name());
    }

    @Test
    void onlyTheOwnerAndAdminsAddOrRemoveMembers() {
        ConversationSummary group = group(alice, "Managed", bob);
        long conv = group.id();
        WsTestClient bobWs = relay.connect(bob.accessToken());
        WsTestClient carolWs = relay.connect(carol.accessToken());

        assertError(addMembers(bob, conv, id(carol)), 403, ErrorCode.FORBIDDEN);
        assertError(removeMember(bob, conv, id(alice)), 403, ErrorCode.FORBIDDEN);
        assertError(addMembers(dave, conv, id(dave)), 403, ErrorCode.NOT_MEMBER);
        assertError(addMembers(alice, conv), 400, ErrorCode.VALIDATION_FAILED);
        assertError(addMembers(alice, conv, 987_654_321L), 404, ErrorCode.NOT_FOUND);
        assertError(removeMember(alice, conv, id(dave)), 404, ErrorCode.NOT_FOUND);
        assertEquals(Map.of(id(alice), MemberRole.OWNER, id(bob), MemberRole.MEMBER), roles(conversation(alice, conv)));

        RestClient.Response added = addMembers(alice, conv, id(carol));
        assertEquals(200, added.status(), added.body());
        assertEquals(3, rest.as(added, ConversationSummary.class).memberCount());

        ConversationSummary announced = carolWs.await(ServerMessage.Conversation.class,
                c -> c.conversation().id() == conv).conversation();
        assertEquals(MemberRole.MEMBER, announced.role());
        assertEquals("Managed", announced.name());
        LogEvent joined = carolWs.await(ServerMessage.Event.class, joined(conv, id(carol))).event();
        assertEquals(id(alice), joined.sender());
        assertEquals(joined, bobWs.await(ServerMessage.Event.class, joined(conv, id(carol))).event());

        RestClient.Response addedAgain = addMembers(alice, conv, id(carol));
        assertEquals(200, addedAgain.status(), addedAgain.body());
        assertEquals(3, rest.as(addedAgain, ConversationSummary.class).memberCount());
        assertEquals(1, log(alice, conv).stream()
                        .filter(e -> e.kind() == EventKind.MEMBER_JOINED && Objects.equals(e.member(), id(carol)))
                        .count(),
                "adding an existing member logs nothing new");
    }

    @Test
    void aRemovedMemberHearsOfItAndThenLosesAccess() {
        ConversationSummary group = group(alice, "Shrinking", bob, carol);
        long conv = group.id();
        long dm = dm(alice, bob).id();
        WsTestClient aliceWs = relay.connect(alice.accessToken());
        WsTestClient bobWs = relay.connect(bob.accessToken());
        WsTestClient carolWs = relay.connect(carol.accessToken());
        long before = aliceWs.sendText(conv, "before").seq();
        bobWs.await(ServerMessage.Event.class, e -> e.event().conv() == conv && e.event().seq() == before);

        RestClient.Response removed = removeMember(alice, conv, id(bob));
        assertEquals(204, removed.status(), removed.body());

        LogEvent left = bobWs.await(ServerMessage.Event.class, left(conv, id(bob))).event();
        assertEquals(id(alice), left.sender(), "the sender of member_left is who removed them");
        assertEquals(left, carolWs.await(ServerMessage.Event.class, left(conv, id(bob))).event());
        assertEquals(left, aliceWs.await(ServerMessage.Event.class, left(conv, id(bob))).event());

        assertEquals(ErrorCode.NOT_MEMBER, bobWs.error(new ClientMessage.Send(bobWs.nextRid(), conv,
                UUID.randomUUID().toString(), "still here?")).code());
        assertEquals(ErrorCode.NOT_MEMBER, bobWs.error(new ClientMessage.Sync(bobWs.nextRid(), conv, 0, null)).code());
        assertEquals(ErrorCode.NOT_MEMBER,
                bobWs.error(new ClientMessage.History(bobWs.nextRid(), conv, null, null)).code());
        assertError(rest.get("/api/conversations/" + conv + "/messages?after=0", bob.accessToken()), 403,
                ErrorCode.NOT_MEMBER);
        assertError(rest.get("/api/conversations/" + conv, bob.accessToken()), 403, ErrorCode.NOT_MEMBER);
        assertError(removeMember(bob, conv, id(carol)), 403, ErrorCode.NOT_MEMBER);
        assertFalse(list(bob).stream().anyMatch(c -> c.id() == conv), "the group is gone from bob's list");
        assertError(removeMember(alice, conv, id(bob)), 404, ErrorCode.NOT_FOUND);

        ConversationSummary now = conversation(alice, conv);
        assertEquals(2, now.memberCount());
        assertEquals(Map.of(id(alice), MemberRole.OWNER, id(carol), MemberRole.MEMBER), roles(now));

        // Events are fanned out in commit order and each connection's frames in send order, so once bob has the
        // later DM message, the group message before it would have reached him too if he were still a recipient.
        long after = aliceWs.sendText(conv, "after").seq();
        carolWs.await(ServerMessage.Event.class, e -> e.event().conv() == conv && e.event().seq() == after);
        long marker = aliceWs.sendText(dm, "marker").seq();
        bobWs.await(ServerMessage.Event.class, e -> e.event().conv() == dm && e.event().seq() == marker);
        assertTrue(bobWs.receivedOf(ServerMessage.Event.class).stream()
                        .noneMatch(e -> e.event().conv() == conv && e.event().seq() > left.seq()),
                "a removed member receives nothing after member_left: " + bobWs.received());
    }

    @Test
    void membersLeaveButTheOwnerOnlyWhenAlone() {
        ConversationSummary group = group(alice, "Leaving", bob, carol);
        long conv = group.id();
        WsTestClient aliceWs = relay.connect(alice.accessToken());

        RestClient.Response bobLeaves = leave(bob, conv);
        assertEquals(204, bobLeaves.status(), bobLeaves.body());
        LogEvent left = aliceWs.await(ServerMessage.Event.class, left(conv, id(bob))).event();
        assertEquals(id(bob), left.sender(), "leaving is member_left with the member as sender");
        assertFalse(list(bob).stream().anyMatch(c -> c.id() == conv));
        assertError(leave(bob, conv), 403, ErrorCode.NOT_MEMBER);

        assertError(leave(alice, conv), 409, ErrorCode.CONFLICT);
        assertError(removeMember(alice, conv, id(alice)), 409, ErrorCode.CONFLICT);
        assertEquals(MemberRole.OWNER, conversation(alice, conv).role());
        assertEquals(2, conversation(alice, conv).memberCount());

        assertEquals(204, removeMember(carol, conv, id(carol)).status(), "removing yourself is leaving");
        aliceWs.await(ServerMessage.Event.class, left(conv, id(carol)));
        RestClient.Response ownerLeaves = leave(alice, conv);
        assertEquals(204, ownerLeaves.status(), ownerLeaves.body());
        assertFalse(list(alice).stream().anyMatch(c -> c.id() == conv));
    }

    @Test
    void twoHandOversAtOnceLeaveExactlyOneOwner() throws Exception {
        for (int round = 0; round < 5; round++) {
            long conv = group(alice, "Race " + round, bob, carol).id();
            CompletableFuture<RestClient.Response> toBob = CompletableFuture.supplyAsync(
                    () -> setRole(alice, conv, id(bob), MemberRole.OWNER));
            CompletableFuture<RestClient.Response> toCarol = CompletableFuture.supplyAsync(
                    () -> setRole(alice, conv, id(carol), MemberRole.OWNER));
            List<Integer> statuses = List.of(toBob.get().status(), toCarol.get().status());

            assertEquals(List.of(200, 403), statuses.stream().sorted().toList(),
                    "one hand-over wins, the other finds alice no longer owner: " + statuses);
            Map<Long, MemberRole> roles = roles(conversation(alice, conv));
            assertEquals(1, roles.values().stream().filter(r -> r == MemberRole.OWNER).count(), roles.toString());
            assertEquals(MemberRole.ADMIN, roles.get(id(alice)));
        }
    }

    @Test
    void aNullInTheMemberListIsRefusedWithAMessageAndCreatesNothing() {
        int before = list(alice).size();
        RestClient.Response response = postRaw("/api/conversations", alice.accessToken(),
                "{\"kind\":\"group\",\"name\":\"Nulls\",\"members\":[" + id(bob) + ",null]}");
        assertError(response, 400, ErrorCode.VALIDATION_FAILED);
        assertTrue(response.body().contains("'members[1]' must be a user id"), response.body());
        assertEquals(before, list(alice).size());
    }

    @Test
    void theOwnerMakesAdminsAndHandsOverOwnershipAndEveryChangeIsLogged() {
        ConversationSummary group = group(alice, "Roles", bob, carol);
        long conv = group.id();
        WsTestClient bobWs = relay.connect(bob.accessToken());

        assertError(setRole(bob, conv, id(carol), MemberRole.ADMIN), 403, ErrorCode.FORBIDDEN);
        assertError(addMembers(bob, conv, id(dave)), 403, ErrorCode.FORBIDDEN);

        RestClient.Response promoted = setRole(alice, conv, id(bob), MemberRole.ADMIN);
        assertEquals(200, promoted.status(), promoted.body());
        assertEquals(MemberRole.ADMIN, roles(rest.as(promoted, ConversationSummary.class)).get(id(bob)));
        LogEvent roleEvent = bobWs.await(ServerMessage.Event.class, e -> e.event().conv() == conv
                && e.event().kind() == EventKind.ROLE_CHANGED).event();
        assertEquals(id(bob), roleEvent.member());
        assertEquals(MemberRole.ADMIN, roleEvent.role());
        assertEquals(id(alice), roleEvent.sender());
        assertEquals(MemberRole.ADMIN, conversation(bob, conv).role());

        RestClient.Response bobAdds = addMembers(bob, conv, id(dave));
        assertEquals(200, bobAdds.status(), bobAdds.body());
        assertEquals(204, removeMember(bob, conv, id(carol)).status(), "an admin removes plain members");
        assertError(removeMember(bob, conv, id(alice)), 403, ErrorCode.FORBIDDEN);
        assertError(setRole(bob, conv, id(dave), MemberRole.ADMIN), 403, ErrorCode.FORBIDDEN);
        assertError(setRole(alice, conv, id(alice), MemberRole.MEMBER), 400, ErrorCode.VALIDATION_FAILED);
        assertError(rest.put("/api/conversations/" + conv + "/members/" + id(dave) + "/role", alice.accessToken(),
                new RoleRequest(null)), 400, ErrorCode.VALIDATION_FAILED);
        assertError(putRaw("/api/conversations/" + conv + "/members/" + id(dave) + "/role", alice.accessToken(),
                "{\"role\":\"king\"}"), 400, ErrorCode.VALIDATION_FAILED);
        assertError(setRole(alice, conv, id(carol), MemberRole.ADMIN), 404, ErrorCode.NOT_FOUND);

        RestClient.Response handedOver = setRole(alice, conv, id(bob), MemberRole.OWNER);
        assertEquals(200, handedOver.status(), handedOver.body());
        ConversationSummary asAlice = rest.as(handedOver, ConversationSummary.class);
        assertEquals(MemberRole.ADMIN, asAlice.role(), "handing over ownership demotes the old owner to admin");
        assertEquals(Map.of(id(alice), MemberRole.ADMIN, id(bob), MemberRole.OWNER, id(dave), MemberRole.MEMBER),
                roles(asAlice));
        assertEquals(MemberRole.OWNER, conversation(bob, conv).role());
        assertError(setRole(alice, conv, id(dave), MemberRole.ADMIN), 403, ErrorCode.FORBIDDEN);
        assertError(leave(bob, conv), 409, ErrorCode.CONFLICT);
        RestClient.Response aliceAdds = addMembers(alice, conv, id(carol));
        assertEquals(200, aliceAdds.status(), "an admin still adds members: " + aliceAdds.body());

        List<LogEvent> log = log(dave, conv);
        assertEquals(LongStream.rangeClosed(1, log.size()).boxed().toList(),
                log.stream().map(LogEvent::seq).toList(), "seqs are consecutive from 1");
        assertEquals(List.of(
                        "created by " + id(alice),
                        "member_joined " + id(alice) + " owner by " + id(alice),
                        "member_joined " + id(bob) + " member by " + id(alice),
                        "member_joined " + id(carol) + " member by " + id(alice),
                        "role_changed " + id(bob) + " admin by " + id(alice),
                        "member_joined " + id(dave) + " member by " + id(bob),
                        "member_left " + id(carol) + " by " + id(bob),
                        "role_changed " + id(bob) + " owner by " + id(alice),
                        "role_changed " + id(alice) + " admin by " + id(alice),
                        "member_joined " + id(carol) + " member by " + id(alice)),
                log.stream().map(ConversationIT::describe).toList(),
                "every membership change is in the log, and refused requests left no trace");
        assertEquals(log.size(), conversation(alice, conv).lastSeq());
    }

    // ---- channels --------------------------------------------------------------------------------------------------

    @Test
    void channelsAreListedAndReadableByEveryoneButPostingNeedsJoining() {
        RestClient.Response created = create(alice, new CreateConversationRequest(ConversationKind.CHANNEL, "general",
                "All hands", List.of(), null));
        assertEquals(201, created.status(), created.body());
        ConversationSummary channel = rest.as(created, ConversationSummary.class);
        long conv = channel.id();
        assertEquals(MemberRole.OWNER, channel.role());
        assertEquals(PostPolicy.EVERYONE, channel.postPolicy());
        long group = group(alice, "not a channel", carol).id();

        for (AuthResponse outsider : List.of(bob, carol)) {
            List<ConversationSummary> channels = channels(outsider);
            assertEquals(List.of(conv), channels.stream().map(ConversationSummary::id).toList(),
                    "only channels are listed, groups are not: " + channels);
            ConversationSummary seen = channels.getFirst();
            assertNull(seen.role(), "not a member yet");
            assertEquals("All hands", seen.topic());
            assertEquals(1, seen.memberCount());
        }
        assertEquals(MemberRole.OWNER, channels(alice).getFirst().role());
        assertFalse(list(bob).stream().anyMatch(c -> c.id() == conv), "a channel bob has not joined is not his");

        WsTestClient aliceWs = relay.connect(alice.accessToken());
        WsTestClient bobWs = relay.connect(bob.accessToken());
        long posted = aliceWs.sendText(conv, "welcome, everyone").seq();

        MessagePage page = rest.as(ok(rest.get("/api/conversations/" + conv + "/messages?after=0",
                bob.accessToken())), MessagePage.class);
        assertEquals(posted, page.lastSeq());
        assertEquals("welcome, everyone", page.events().getLast().text());
        ConversationSummary asOutsider = conversation(bob, conv);
        assertNull(asOutsider.role());
        assertEquals(0, asOutsider.unread());
        ServerMessage synced = bobWs.request(new ClientMessage.Sync(bobWs.nextRid(), conv, 0, null));
        assertTrue(synced instanceof ServerMessage.Events events
                && events.events().stream().anyMatch(e -> e.seq() == posted), "sync without joining: " + synced);
        ServerMessage history = bobWs.request(new ClientMessage.History(bobWs.nextRid(), conv, null, null));
        assertTrue(history instanceof ServerMessage.Events, "history without joining: " + history);

        assertEquals(ErrorCode.NOT_MEMBER, bobWs.error(new ClientMessage.Send(bobWs.nextRid(), conv,
                UUID.randomUUID().toString(), "can I post?")).code());

        RestClient.Response joined = join(bob, conv);
        assertEquals(200, joined.status(), joined.body());
        assertEquals(MemberRole.MEMBER, rest.as(joined, ConversationSummary.class).role());
        assertEquals(2, rest.as(joined, ConversationSummary.class).memberCount());
        ConversationSummary announced = bobWs.await(ServerMessage.Conversation.class,
                c -> c.conversation().id() == conv).conversation();
        assertEquals(MemberRole.MEMBER, announced.role());
        LogEvent selfJoined = bobWs.await(ServerMessage.Event.class, joined(conv, id(bob))).event();
        assertEquals(id(bob), selfJoined.sender(), "joining yourself: sender and member are the same");

        RestClient.Response joinedAgain = join(bob, conv);
        assertEquals(200, joinedAgain.status(), joinedAgain.body());
        assertEquals(MemberRole.MEMBER, rest.as(joinedAgain, ConversationSummary.class).role());
        assertEquals(2, rest.as(joinedAgain, ConversationSummary.class).memberCount());
        assertEquals(1, log(bob, conv).stream()
                .filter(e -> e.kind() == EventKind.MEMBER_JOINED && Objects.equals(e.member(), id(bob)))
                .count(), "joining twice logs one member_joined");

        long bobsPost = bobWs.sendText(conv, "hi all").seq();
        assertEquals("hi all", aliceWs.await(ServerMessage.Event.class,
                e -> e.event().conv() == conv && e.event().seq() == bobsPost).event().text());
        assertTrue(list(bob).stream().anyMatch(c -> c.id() == conv));
        assertEquals(MemberRole.MEMBER, channels(bob).getFirst().role());
        assertNull(channels(carol).getFirst().role());

        assertError(join(bob, group), 403, ErrorCode.FORBIDDEN);
        assertError(join(bob, 987_654_321L), 404, ErrorCode.NOT_FOUND);
    }

    @Test
    void anAdminsOnlyChannelRefusesPostsFromPlainMembers() {
        RestClient.Response created = create(alice, new CreateConversationRequest(ConversationKind.CHANNEL,
                "announcements", null, List.of(), PostPolicy.ADMINS));
        assertEquals(201, created.status(), created.body());
        ConversationSummary channel = rest.as(created, ConversationSummary.class);
        long conv = channel.id();
        assertEquals(PostPolicy.ADMINS, channel.postPolicy());
        assertEquals(PostPolicy.ADMINS, channels(bob).getFirst().postPolicy());
        assertEquals(200, join(bob, conv).status());
        WsTestClient aliceWs = relay.connect(alice.accessToken());
        WsTestClient bobWs = relay.connect(bob.accessToken());

        assertEquals(ErrorCode.FORBIDDEN, bobWs.error(new ClientMessage.Send(bobWs.nextRid(), conv,
                UUID.randomUUID().toString(), "me too")).code());
        long ownerPost = aliceWs.sendText(conv, "release on friday").seq();
        assertEquals("release on friday", bobWs.await(ServerMessage.Event.class,
                e -> e.event().conv() == conv && e.event().seq() == ownerPost).event().text());

        assertEquals(200, setRole(alice, conv, id(bob), MemberRole.ADMIN).status());
        bobWs.sendText(conv, "now I may");

        ConversationSummary groupAsked = group(alice, "groups ignore the policy", bob);
        assertEquals(PostPolicy.EVERYONE, groupAsked.postPolicy());
        assertTrue(log(carol, conv).stream().anyMatch(e -> e.seq() == ownerPost), "anyone reads a channel");

        RestClient.Response opened = rest.patch("/api/conversations/" + conv, alice.accessToken(),
                new UpdateConversationRequest(null, null, PostPolicy.EVERYONE));
        assertEquals(200, opened.status(), opened.body());
        assertEquals(PostPolicy.EVERYONE, rest.as(opened, ConversationSummary.class).postPolicy());
        assertEquals(200, join(carol, conv).status());
        WsTestClient carolWs = relay.connect(carol.accessToken());
        carolWs.sendText(conv, "plain members post again");
    }

    // ---- settings and the list -------------------------------------------------------------------------------------

    @Test
    void ownersAndAdminsRenameAndMembersHearOfIt() {
        ConversationSummary group = group(alice, "Old name", bob, carol);
        long conv = group.id();
        WsTestClient bobWs = relay.connect(bob.accessToken());
        WsTestClient carolWs = relay.connect(carol.accessToken());

        assertError(rest.patch("/api/conversations/" + conv, bob.accessToken(),
                new UpdateConversationRequest("mine now", null, null)), 403, ErrorCode.FORBIDDEN);
        assertError(rest.patch("/api/conversations/" + conv, dave.accessToken(),
                new UpdateConversationRequest("mine now", null, null)), 403, ErrorCode.NOT_MEMBER);
        assertError(rest.patch("/api/conversations/" + conv, alice.accessToken(),
                new UpdateConversationRequest("  ", null, null)), 400, ErrorCode.VALIDATION_FAILED);
        assertError(rest.patch("/api/conversations/" + conv, alice.accessToken(),
                new UpdateConversationRequest("x".repeat(Limits.MAX_CONVERSATION_NAME_LENGTH + 1), null, null)),
                400, ErrorCode.TOO_LONG);
        assertError(rest.patch("/api/conversations/" + conv, alice.accessToken(),
                new UpdateConversationRequest(null, "t".repeat(Limits.MAX_TOPIC_LENGTH + 1), null)),
                400, ErrorCode.TOO_LONG);
        assertError(rest.patch("/api/conversations/" + conv, alice.accessToken(),
                new UpdateConversationRequest(null, null, PostPolicy.ADMINS)), 400, ErrorCode.VALIDATION_FAILED);
        assertEquals("Old name", conversation(bob, conv).name(), "refused changes change nothing");

        RestClient.Response renamed = rest.patch("/api/conversations/" + conv, alice.accessToken(),
                new UpdateConversationRequest("New name", "Ship it", null));
        assertEquals(200, renamed.status(), renamed.body());
        assertEquals("New name", rest.as(renamed, ConversationSummary.class).name());
        assertEquals("Ship it", rest.as(renamed, ConversationSummary.class).topic());
        for (WsTestClient ws : List.of(bobWs, carolWs)) {
            ConversationSummary seen = ws.await(ServerMessage.Conversation.class,
                    c -> c.conversation().id() == conv && "New name".equals(c.conversation().name())).conversation();
            assertEquals("Ship it", seen.topic());
            assertEquals(MemberRole.MEMBER, seen.role(), "each member gets the conversation as they see it");
        }

        RestClient.Response topicOnly = rest.patch("/api/conversations/" + conv, alice.accessToken(),
                new UpdateConversationRequest(null, "Shipped", null));
        assertEquals("New name", rest.as(topicOnly, ConversationSummary.class).name(), "null fields stay as they are");
        assertEquals("Shipped", rest.as(topicOnly, ConversationSummary.class).topic());

        assertEquals(200, setRole(alice, conv, id(bob), MemberRole.ADMIN).status());
        RestClient.Response byAdmin = rest.patch("/api/conversations/" + conv, bob.accessToken(),
                new UpdateConversationRequest("Admin's name", null, null));
        assertEquals(200, byAdmin.status(), byAdmin.body());
        ConversationSummary atCarol = carolWs.await(ServerMessage.Conversation.class,
                c -> c.conversation().id() == conv && "Admin's name".equals(c.conversation().name())).conversation();
        assertEquals("Shipped", atCarol.topic());
        assertEquals("Admin's name", conversation(carol, conv).name());
    }

    @Test
    void membersArePagedByUserIdWithReadMarksOnlyOutsideChannels() {
        RestClient.Response created = create(alice, new CreateConversationRequest(ConversationKind.CHANNEL, "all",
                null, List.of(id(bob), id(carol)), null));
        assertEquals(201, created.status(), created.body());
        long channel = rest.as(created, ConversationSummary.class).id();
        WsTestClient bobWs = relay.connect(bob.accessToken());
        long seq = bobWs.sendText(channel, "read me").seq();
        bobWs.request(new ClientMessage.MarkRead(bobWs.nextRid(), channel, seq));

        MemberPage first = rest.as(ok(rest.get("/api/conversations/" + channel + "/members?limit=2",
                dave.accessToken())), MemberPage.class);
        assertEquals(List.of(id(alice), id(bob)), first.members().stream().map(m -> m.user().id()).toList(),
                "by user id; a channel's members are listed to everyone, as its messages are");
        assertTrue(first.hasMore());
        assertEquals(List.of(MemberRole.OWNER, MemberRole.MEMBER), first.members().stream().map(MemberInfo::role)
                .toList());
        assertEquals(bob.user().username(), first.members().get(1).user().username());
        assertEquals(0, first.members().get(1).readSeq(), "no read marks in a channel");
        MemberPage rest2 = rest.as(ok(rest.get("/api/conversations/" + channel + "/members?limit=2&after="
                + id(bob), dave.accessToken())), MemberPage.class);
        assertEquals(List.of(id(carol)), rest2.members().stream().map(m -> m.user().id()).toList());
        assertFalse(rest2.hasMore());
        MemberPage all = rest.as(ok(rest.get("/api/conversations/" + channel + "/members", alice.accessToken())),
                MemberPage.class);
        assertEquals(3, all.members().size());
        assertFalse(all.hasMore());

        long group = group(alice, "team", bob).id();
        long groupSeq = bobWs.sendText(group, "seen?").seq();
        bobWs.request(new ClientMessage.MarkRead(bobWs.nextRid(), group, groupSeq));
        MemberPage groupPage = rest.as(ok(rest.get("/api/conversations/" + group + "/members", bob.accessToken())),
                MemberPage.class);
        assertEquals(groupSeq, groupPage.members().stream().filter(m -> m.user().id() == id(bob)).findFirst()
                .orElseThrow().readSeq(), "a group shows read marks, as its summary does");

        assertError(rest.get("/api/conversations/" + group + "/members", dave.accessToken()), 403,
                ErrorCode.NOT_MEMBER);
        assertError(rest.get("/api/conversations/987654321/members", dave.accessToken()), 404,
                ErrorCode.NOT_FOUND);
        assertError(rest.get("/api/conversations/" + channel + "/members?after=x", dave.accessToken()), 400,
                ErrorCode.VALIDATION_FAILED);
        assertError(rest.get("/api/conversations/" + channel + "/members?limit=0", dave.accessToken()), 400,
                ErrorCode.VALIDATION_FAILED);
        assertEquals(401, rest.get("/api/conversations/" + channel + "/members", null).status());
    }

    @Test
    void theListIsOrderedByLatestActivityWithLastMessageAndUnread() {
        ConversationSummary a = group(alice, "A", bob);
        ConversationSummary b = dm(alice, bob);
        ConversationSummary c = group(alice, "C", bob, carol);
        assertEquals(List.of(c.id(), b.id(), a.id()), ids(list(alice)), "newest first");
        assertNull(list(alice).getFirst().lastMessage());
        WsTestClient aliceWs = relay.connect(alice.accessToken());
        WsTestClient bobWs = relay.connect(bob.accessToken());

        laterThan(latestActivity(alice));
        ServerMessage.Ack inA = bobWs.sendText(a.id(), "news in A");
        List<ConversationSummary> aliceList = list(alice);
        assertEquals(List.of(a.id(), c.id(), b.id()), ids(aliceList));
        ConversationSummary aAtAlice = aliceList.getFirst();
        assertEquals("news in A", aAtAlice.lastMessage().text());
        assertEquals(id(bob), aAtAlice.lastMessage().sender());
        assertEquals(inA.seq(), aAtAlice.lastSeq());
        assertEquals(inA.ts(), aAtAlice.lastActivity());
        assertEquals(1, aAtAlice.unread());
        assertEquals(0, byId(list(bob), a.id()).unread(), "your own messages are not unread");
        assertEquals(0, byId(aliceList, c.id()).unread());

        laterThan(latestActivity(alice));
        aliceWs.sendText(b.id(), "first in B");
        aliceWs.sendText(b.id(), "second in B");
        List<ConversationSummary> bobList = list(bob);
        assertEquals(List.of(b.id(), a.id(), c.id()), ids(bobList));
        assertEquals(2, bobList.getFirst().unread());
        assertEquals("second in B", bobList.getFirst().lastMessage().text());
        assertEquals(List.of(b.id(), a.id(), c.id()), ids(list(alice)));
        assertEquals(List.of(c.id()), ids(list(carol)));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static long id(AuthResponse user) {
        return user.user().id();
    }

    private RestClient.Response create(AuthResponse creator, CreateConversationRequest request) {
        return rest.post("/api/conversations", creator.accessToken(), request);
    }

    private RestClient.Response createDm(AuthResponse from, long to) {
        return create(from, new CreateConversationRequest(ConversationKind.DM, null, null, List.of(to), null));
    }

    private ConversationSummary dm(AuthResponse from, AuthResponse to) {
        RestClient.Response response = createDm(from, id(to));
        assertEquals(201, response.status(), response.body());
        return rest.as(response, ConversationSummary.class);
    }

    /** Asking for a DM that exists answers 200 with it (201 is for a new one), never with an error. */
    private ConversationSummary existing(RestClient.Response response) {
        assertEquals(200, response.status(), response.body());
        return rest.as(response, ConversationSummary.class);
    }

    private static RestClient.Response ok(RestClient.Response response) {
        assertEquals(200, response.status(), response.body());
        return response;
    }

    private ConversationSummary group(AuthResponse owner, String name, AuthResponse... members) {
        RestClient.Response response = create(owner, new CreateConversationRequest(ConversationKind.GROUP, name, null,
                Arrays.stream(members).map(ConversationIT::id).toList(), null));
        assertEquals(201, response.status(), response.body());
        return rest.as(response, ConversationSummary.class);
    }

    private RestClient.Response addMembers(AuthResponse actor, long conv, Long... users) {
        return rest.post("/api/conversations/" + conv + "/members", actor.accessToken(),
                new AddMembersRequest(List.of(users)));
    }

    private RestClient.Response removeMember(AuthResponse actor, long conv, long user) {
        return rest.delete("/api/conversations/" + conv + "/members/" + user, actor.accessToken());
    }

    private RestClient.Response setRole(AuthResponse actor, long conv, long user, MemberRole role) {
        return rest.put("/api/conversations/" + conv + "/members/" + user + "/role", actor.accessToken(),
                new RoleRequest(role));
    }

    private RestClient.Response leave(AuthResponse user, long conv) {
        return rest.post("/api/conversations/" + conv + "/leave", user.accessToken(), null);
    }

    private RestClient.Response join(AuthResponse user, long conv) {
        return rest.post("/api/conversations/" + conv + "/join", user.accessToken(), null);
    }

    /** A PUT with a body the typed client could not produce (an unknown enum value). */
    private RestClient.Response putRaw(String path, String token, String body) {
        return raw(path, token, HttpRequest.newBuilder(relay.http().resolve(path))
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A POST with a body the typed client could not produce (a null inside a list of ids). */
    private RestClient.Response postRaw(String path, String token, String body) {
        return raw(path, token, HttpRequest.newBuilder(relay.http().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private RestClient.Response raw(String path, String token, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new RestClient.Response(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ConversationSummary conversation(AuthResponse viewer, long conv) {
        RestClient.Response response = rest.get("/api/conversations/" + conv, viewer.accessToken());
        assertEquals(200, response.status(), response.body());
        return rest.as(response, ConversationSummary.class);
    }

    private List<ConversationSummary> list(AuthResponse viewer) {
        RestClient.Response response = rest.get("/api/conversations", viewer.accessToken());
        assertEquals(200, response.status(), response.body());
        return rest.as(response, SUMMARIES);
    }

    private List<ConversationSummary> channels(AuthResponse viewer) {
        RestClient.Response response = rest.get("/api/channels", viewer.accessToken());
        assertEquals(200, response.status(), response.body());
        return rest.as(response, SUMMARIES);
    }

    private List<LogEvent> log(AuthResponse viewer, long conv) {
        RestClient.Response response = rest.get("/api/conversations/" + conv + "/messages?after=0&limit="
                + Limits.MAX_PAGE_SIZE, viewer.accessToken());
        assertEquals(200, response.status(), response.body());
        MessagePage page = rest.as(response, MessagePage.class);
        assertFalse(page.hasMore());
        return page.events();
    }

    private long latestActivity(AuthResponse viewer) {
        return list(viewer).stream().mapToLong(ConversationSummary::lastActivity).max().orElse(0);
    }

    /**
     * The list breaks ties in lastActivity (epoch ms) by id; waits for the wall clock to pass {@code epochMillis} so
     * the next event's timestamp is strictly later than everything it has to overtake. Not a synchronisation sleep:
     * it waits on the clock itself, for at most a millisecond or so.
     */
    private static void laterThan(long epochMillis) {
        while (System.currentTimeMillis() <= epochMillis) {
            Thread.onSpinWait();
        }
    }

    private void assertError(RestClient.Response response, int status, ErrorCode code) {
        assertEquals(status, response.status(), response.body());
        ApiErrorBody body = rest.as(response, ApiErrorBody.class);
        assertEquals(code, body.code(), response.body());
        assertNotNull(body.error());
        assertNotNull(body.timestamp());
    }

    private static Map<Long, MemberRole> roles(ConversationSummary summary) {
        return summary.members().stream().collect(Collectors.toMap(m -> m.user().id(), MemberInfo::role));
    }

    private static List<Long> ids(List<ConversationSummary> list) {
        return list.stream().map(ConversationSummary::id).toList();
    }

    private static ConversationSummary byId(List<ConversationSummary> list, long conv) {
        return list.stream().filter(c -> c.id() == conv).findFirst().orElseThrow();
    }

    private static Predicate<ServerMessage.Event> joined(long conv, long member) {
        return e -> e.event().conv() == conv && e.event().kind() == EventKind.MEMBER_JOINED
                && Objects.equals(e.event().member(), member);
    }

    private static Predicate<ServerMessage.Event> left(long conv, long member) {
        return e -> e.event().conv() == conv && e.event().kind() == EventKind.MEMBER_LEFT
                && Objects.equals(e.event().member(), member);
    }

    private static String describe(LogEvent e) {
        return switch (e.kind()) {
            case CREATED -> "created by " + e.sender();
            case MEMBER_JOINED -> "member_joined " + e.member() + " " + wire(e.role()) + " by " + e.sender();
            case MEMBER_LEFT -> "member_left " + e.member() + " by " + e.sender();
            case ROLE_CHANGED -> "role_changed " + e.member() + " " + wire(e.role()) + " by " + e.sender();
            case MESSAGE, EDITED, DELETED, CALL -> e.kind() + " " + e.seq();
        };
    }

    private static String wire(MemberRole role) {
        return role == null ? "null" : role.name().toLowerCase(java.util.Locale.ROOT);
    }
}
