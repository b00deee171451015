package dev.parley.relay.chat;

import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Limits;
import dev.parley.protocol.api.AddMembersRequest;
import dev.parley.protocol.api.ApiErrorBody;
import dev.parley.protocol.api.AuthResponse;
import dev.parley.protocol.api.CreateConversationRequest;
import dev.parley.relay.support.RestClient;
import dev.parley.relay.support.TestRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The group member limit counts the people a request adds, not those already in (or the creator twice). */
@Timeout(120)
class GroupLimitIT {
    private TestRelay relay;
    private RestClient rest;
    private AuthResponse owner;
    private final List<Long> others = new ArrayList<>();

    @BeforeEach
    void start() {
        // A full group needs a thousand accounts: hashing made cheap and the sign-up limit raised, nothing else.
        relay = TestRelay.start("--argon2-memory-kib", "64", "--argon2-iterations", "1",
                "--auth-per-address-per-minute", "1000000");
        rest = relay.rest();
        owner = rest.newUser("owner");
        for (int i = 0; i < Limits.MAX_GROUP_MEMBERS; i++) {
            others.add(rest.newUser("member").user().id());
        }
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    @Test
    void aFullGroupStillAcceptsNamingItsMembersAndRefusesOneMore() {
        List<Long> members = new ArrayList<>(others.subList(0, Limits.MAX_GROUP_MEMBERS - 1));
        members.add(owner.user().id());
        RestClient.Response created = rest.post("/api/conversations", owner.accessToken(), new CreateConversationRequest(
                ConversationKind.GROUP, "Everyone", null, members, null));
        assertEquals(201, created.status(), "the creator named among the members counts once: " + created.body());
        ConversationSummary group = rest.as(created, ConversationSummary.class);
        assertEquals(Limits.MAX_GROUP_MEMBERS, group.memberCount());

        long existing = others.get(0);
        RestClient.Response again = add(group.id(), List.of(existing, owner.user().id()));
        assertEquals(200, again.status(), "members already in are skipped, not counted: " + again.body());
        assertEquals(Limits.MAX_GROUP_MEMBERS, rest.as(again, ConversationSummary.class).memberCount());

        RestClient.Response oneMore = add(group.id(), List.of(existing, others.get(Limits.MAX_GROUP_MEMBERS - 1)));
        assertEquals(400, oneMore.status(), oneMore.body());
        assertEquals(ErrorCode.VALIDATION_FAILED, rest.as(oneMore, ApiErrorBody.class).code());
    }

    private RestClient.Response add(long conv, List<Long> users) {
        return rest.post("/api/conversations/" + conv + "/members", owner.accessToken(), new AddMembersRequest(users));
    }
}
