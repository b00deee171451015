package dev.parley.desktop.chat;

import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.desktop.support.UiThread;
import dev.parley.desktop.ui.I18n;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.MemberInfo;
import dev.parley.protocol.MemberRole;
import dev.parley.protocol.PostPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A group's or channel's details without any FX thread: real clients against a real relay, a test thread playing
 * the FX thread. Each user sees and may do only what their role allows, and sees others' changes live.
 */
@Timeout(120)
class ConversationDetailsViewModelTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static RelayFixture relay;
    private final UiThread ui = new UiThread();
    private final ExecutorService background = Executors.newCachedThreadPool();
    private final I18n i18n = new I18n(Locale.ENGLISH);

    @BeforeAll
    static void startRelay() {
        relay = RelayFixture.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        ui.close();
        background.shutdownNow();
        assertTrue(background.awaitTermination(10, TimeUnit.SECONDS));
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
    }

    private ConversationDetailsViewModel details(ChatClient client, long conv) {
        ConversationDetailsViewModel vm = ui.call(() -> new ConversationDetailsViewModel(client, i18n, ui, background,
                conv));
        ui.call(vm::load).join();
        return vm;
    }

    /** Call on the UI thread. */
    private static MemberInfo member(ConversationDetailsViewModel vm, ChatClient who) {
        return vm.members().stream().filter(m -> m.user().id() == who.myId()).findFirst().orElseThrow();
    }

    @Test
    void aManagerRenamesAndSetsTheTopicAndMembersSeeItLive() {
        ChatClient alice = relay.client("det-alice", "Alice");
        ChatClient bob = relay.client("det-bob", "Bob");
        ConversationSummary group = alice.create(ConversationKind.GROUP, "Design", null, List.of(bob.myId()));
        await().atMost(WAIT).until(() -> bob.conversation(group.id()).isPresent());
        ConversationDetailsViewModel owner = details(alice, group.id());
        ConversationDetailsViewModel member = details(bob, group.id());

        ui.run(() -> {
            assertTrue(owner.canEditProperty().get());
            assertFalse(owner.canSaveProperty().get(), "nothing changed yet");
            assertFalse(member.canEditProperty().get(), "a member only reads the details");
            assertEquals(List.of(MemberRole.OWNER, MemberRole.MEMBER),
                    owner.members().stream().map(MemberInfo::role).toList(), "the owner first");
            owner.nameProperty().set("   ");
            assertEquals("A name is required.", owner.problemProperty().get());
            assertFalse(owner.canSaveProperty().get());
            owner.nameProperty().set("x".repeat(81));
            assertEquals("A name has at most 80 characters.", owner.problemProperty().get());
            owner.nameProperty().set("Design team ");
            owner.topicProperty().set("t".repeat(501));
            assertEquals("A topic has at most 500 characters.", owner.problemProperty().get());
            owner.topicProperty().set("Mockups and reviews");
            assertNull(owner.problemProperty().get());
            assertTrue(owner.canSaveProperty().get());
        });
        ui.call(owner::save).join();

        ui.run(() -> {
            assertNull(owner.errorProperty().get());
            assertEquals("Saved.", owner.statusProperty().get());
            assertEquals("Design team", owner.nameProperty().get(), "trimmed, as the relay stores it");
            assertFalse(owner.canSaveProperty().get(), "saved: nothing left to save");
        });
        await().atMost(WAIT).until(() -> bob.conversation(group.id()).map(c -> "Design team".equals(c.name())
                && "Mockups and reviews".equals(c.topic())).orElse(false));
        await().atMost(WAIT).until(() -> ui.call(() -> member.nameProperty().get().equals("Design team")
                && member.topicProperty().get().equals("Mockups and reviews")));

        // Clearing the topic is a change too (an empty topic, not "leave it as it is").
        ui.run(() -> owner.topicProperty().set(""));
        ui.call(owner::save).join();
        await().atMost(WAIT).until(() -> bob.conversation(group.id()).map(c -> c.topic() == null
                || c.topic().isEmpty()).orElse(false));
        ui.run(() -> {
            owner.close();
            member.close();
        });
    }

    @Test
    void editsInProgressAreNotOverwrittenBySomeoneElsesChange() {
        ChatClient alice = relay.client("det-carla", "Carla");
        ChatClient bob = relay.client("det-dan", "Dan");
        ConversationSummary group = alice.create(ConversationKind.GROUP, "Ops", null, List.of(bob.myId()));
        alice.setRole(group.id(), bob.myId(), MemberRole.ADMIN);
        await().atMost(WAIT).until(() -> bob.conversation(group.id()).map(c -> c.role() == MemberRole.ADMIN)
                .orElse(false));
        ConversationDetailsViewModel admin = details(bob, group.id());
        ui.run(() -> admin.topicProperty().set("On-call rota"));

        alice.updateConversation(group.id(), "Operations", null, null);
        await().atMost(WAIT).until(() -> ui.call(() -> "Operations".equals(admin.conversationProperty().get().name())));
        ui.run(() -> {
            assertEquals("Ops", admin.nameProperty().get(), "the admin's form keeps what they see until they save");
            assertEquals("On-call rota", admin.topicProperty().get());
        });
        ui.call(admin::save).join();
        ConversationSummary saved = alice.refreshConversation(group.id());
        assertEquals("On-call rota", saved.topic());
        assertEquals("Operations", saved.name(), "only what the admin edited is sent: the rename stays");
        ui.run(() -> {
            assertEquals("Operations", admin.nameProperty().get());
            admin.close();
        });
    }

    @Test
    void theOwnerHandsOwnershipOverBeforeLeaving() {
        ChatClient alice = relay.client("det-erin", "Erin");
        ChatClient bob = relay.client("det-finn", "Finn");
        ChatClient carol = relay.client("det-gwen", "Gwen");
        ConversationSummary group = alice.create(ConversationKind.GROUP, "Party", null,
                List.of(bob.myId(), carol.myId()));
        await().atMost(WAIT).until(() -> bob.conversation(group.id()).isPresent());
        ConversationDetailsViewModel owner = details(alice, group.id());
        MemberInfo finn = ui.call(() -> member(owner, bob));

        ui.run(() -> {
            assertTrue(owner.leaveBlocked(), "the owner cannot leave while others remain");
            assertEquals(List.of(MemberRole.ADMIN, MemberRole.OWNER), owner.roleChoices(finn));
            assertEquals(List.of(), owner.roleChoices(member(owner, alice)), "never one's own role");
        });
        CompletionException refused = assertThrows(CompletionException.class, () -> ui.call(owner::leave).join());
        assertTrue(refused.getCause().getMessage().contains("make another member the owner"));
        // Whoever reacts to a new conversation state (the dialog's Leave button) must see the matching role.
        List<String> inconsistent = new java.util.ArrayList<>();
        ui.run(() -> owner.conversationProperty().addListener((o, was, now) -> {
            if ((now.role() == MemberRole.OWNER) != owner.ownerProperty().get()) {
                inconsistent.add(now.role() + " shown while owner=" + owner.ownerProperty().get());
            }
        }));

        ui.call(() -> owner.setRole(finn, MemberRole.OWNER)).join();
        ui.run(() -> {
            assertNull(owner.errorProperty().get());
            assertEquals("Ownership handed over. You are now an admin.", owner.statusProperty().get());
            assertEquals(List.of(MemberRole.OWNER, MemberRole.ADMIN, MemberRole.MEMBER),
                    owner.members().stream().map(MemberInfo::role).toList(), "Finn first now, then Erin");
            assertEquals(bob.myId(), owner.members().getFirst().user().id());
        });
        // The answer says so at once; pushes about the change may arrive around it and must not undo it.
        await().atMost(WAIT).until(() -> ui.call(() -> !owner.ownerProperty().get()));
        ui.run(() -> {
            assertTrue(owner.canEditProperty().get(), "the old owner is an admin now");
            assertFalse(owner.leaveBlocked());
        });
        await().atMost(WAIT).until(() -> bob.conversation(group.id()).map(c -> c.role() == MemberRole.OWNER)
                .orElse(false));
        ui.run(() -> assertEquals(List.of(), inconsistent));
        ui.call(owner::leave).join();
        await().atMost(WAIT).until(() -> alice.conversation(group.id()).isEmpty());
        assertEquals(2, bob.refreshConversation(group.id()).memberCount());
        ui.run(owner::close);
    }

    @Test
    void rolesDecideWhoRemovesWhomAndAdminsPostInAnnouncementChannels() {
        ChatClient alice = relay.client("det-hana", "Hana");
        ChatClient bob = relay.client("det-ivan", "Ivan");
        ChatClient carol = relay.client("det-jade", "Jade");
        ConversationSummary channel = alice.create(ConversationKind.CHANNEL, "announcements", null, List.of());
        bob.join(channel.id());
        carol.join(channel.id());
        ConversationDetailsViewModel owner = details(alice, channel.id());
        ui.call(() -> owner.setRole(member(owner, bob), MemberRole.ADMIN)).join();
        await().atMost(WAIT).until(() -> bob.conversation(channel.id()).map(c -> c.role() == MemberRole.ADMIN)
                .orElse(false));
        ConversationDetailsViewModel admin = details(bob, channel.id());
        ConversationDetailsViewModel member = details(carol, channel.id());

        ui.run(() -> {
            assertEquals(3, admin.members().size(), "a channel's members are fetched, not taken from the list");
            assertTrue(admin.canRemove(member(admin, carol)), "an admin removes members");
            assertFalse(admin.canRemove(member(admin, alice)), "nobody removes the owner");
            assertEquals(List.of(), admin.roleChoices(member(admin, carol)), "only the owner sets roles");
            assertTrue(owner.canRemove(member(owner, bob)), "the owner removes admins");
            assertFalse(member.canRemove(member(member, bob)));
            assertTrue(admin.channelProperty().get());
        });

        ChatViewModel carolsChat = ui.call(() -> new ChatViewModel(carol, ui, true));
        ui.run(() -> {
            carolsChat.open(channel.id());
            carolsChat.composerTextProperty().set("hello");
            assertTrue(carolsChat.mayPostProperty().get());
            assertTrue(carolsChat.canSendProperty().get());
            admin.adminsOnlyProperty().set(true);
        });
        ui.call(admin::save).join();
        assertEquals(PostPolicy.ADMINS, alice.refreshConversation(channel.id()).postPolicy());
        await().atMost(WAIT).until(() -> ui.call(() -> !carolsChat.mayPostProperty().get()));
        ui.run(() -> assertFalse(carolsChat.canSendProperty().get(), "the composer closes for members"));

        ui.call(() -> owner.setRole(member(owner, carol), MemberRole.ADMIN)).join();
        await().atMost(WAIT).until(() -> ui.call(() -> carolsChat.mayPostProperty().get()
                && carolsChat.canSendProperty().get()));
        ui.run(() -> {
            owner.close();
            admin.close();
            member.close();
        });
    }

    @Test
    void aRefusalAfterSomeoneElseChangedTheRoleIsExplained() {
        ChatClient alice = relay.client("det-kim", "Kim");
        ChatClient bob = relay.client("det-lou", "Lou");
        ConversationSummary group = alice.create(ConversationKind.GROUP, "Leads", null, List.of(bob.myId()));
        alice.setRole(group.id(), bob.myId(), MemberRole.ADMIN);
        await().atMost(WAIT).until(() -> bob.conversation(group.id()).map(c -> c.role() == MemberRole.ADMIN)
                .orElse(false));
        ConversationDetailsViewModel admin = details(bob, group.id());
        ui.run(() -> admin.nameProperty().set("Team leads"));

        alice.removeMember(group.id(), bob.myId());
        ui.call(admin::save).join();

        ui.run(() -> assertEquals("Your role no longer allows this (someone changed it meanwhile).",
                admin.errorProperty().get()));
        assertEquals("Leads", alice.refreshConversation(group.id()).name(), "the refused change changed nothing");
        ui.run(admin::close);
    }
}
