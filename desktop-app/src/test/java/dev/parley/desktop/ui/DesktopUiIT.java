package dev.parley.desktop.ui;

import dev.parley.desktop.Parley;
import dev.parley.desktop.chat.MessageItem;
import dev.parley.desktop.net.ApiException;
import dev.parley.desktop.net.ChatClient;
import dev.parley.desktop.settings.AppDirs;
import dev.parley.desktop.support.RelayFixture;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.DeviceInfo;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.PostPolicy;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxRobotInterface;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static dev.parley.desktop.ui.AppUnderTest.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real UI, headless (Monocle), against a real relay in this JVM. The steps build on each other like a user's
 * first session: register on a typed relay address, start a DM, exchange messages with a second client, edit and
 * delete, write while the relay is down, toggle notices, rename a group, meet an announcement channel, change the
 * password. Each step starts the app anew from the same profile, so every step after the first also checks that the
 * sign-in survives a restart.
 */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class DesktopUiIT {
    private static final String PASSWORD = "correct horse battery";
    private static final String NEW_PASSWORD = "battery staple horse";
    private static RelayFixture relay;
    private static Path profile;
    private static ChatClient bob;
    private Parley parley;
    private Stage stage;

    @BeforeAll
    static void startRelay() throws Exception {
        relay = RelayFixture.start();
        profile = Files.createDirectories(relay.dir().resolve("ui-profile"));
        bob = relay.client("bob", "Bob");
    }

    @AfterAll
    static void stopRelay() {
        relay.close();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        parley = AppUnderTest.start(stage, profile);
    }

    @AfterEach
    void closeApp() throws Exception {
        AppUnderTest.shutdown(parley, stage);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------


    private static Optional<Node> visibleLabel(FxRobot robot, Predicate<String> text) {
        return robot.lookup((Node n) -> n instanceof Labeled l && l.getText() != null && text.test(l.getText())
                && AppUnderTest.onScreen(n)).tryQuery();
    }

    /**
     * Clicks the button labelled {@code text} in the dialog that shows {@code inDialog}, then waits for that dialog
     * to close: the main window may have a button of the same name.
     */
    private static void closeDialogWith(FxRobot robot, String inDialog, String text) {
        waitUntil("the dialog with " + inDialog, () -> robot.lookup(inDialog).tryQuery().isPresent());
        Scene dialog = robot.lookup(inDialog).query().getScene();
        Node button = robot.lookup((Node n) -> n instanceof Button b && text.equals(b.getText())
                && n.getScene() == dialog && AppUnderTest.onScreen(n)).query();
        robot.clickOn(button);
        waitUntil("'" + text + "' closed the dialog with " + inDialog,
                () -> robot.lookup(inDialog).tryQuery().isEmpty());
    }

    private static boolean showsLabel(FxRobot robot, String text) {
        return visibleLabel(robot, text::equals).isPresent();
    }

    /** The node found by the wait itself: rows re-render as events arrive, so a second lookup could miss it. */
    private static Node label(FxRobot robot, String text) {
        AtomicReference<Node> found = new AtomicReference<>();
        waitUntil("'" + text + "' is shown", () -> {
            visibleLabel(robot, text::equals).ifPresent(found::set);
            return found.get() != null;
        });
        return found.get();
    }

    /** Clicks a label; rows re-render as events arrive, so a node found a moment ago may be gone: look again. */
    private static FxRobotInterface clickLabel(FxRobot robot, String text) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            WaitForAsyncUtils.waitForFxEvents();
            try {
                return robot.clickOn(label(robot, text));
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * Clicks a message until it is the selected one: rows re-render as receipts and messages arrive, so the row
     * under a label found a moment ago may show another message by the time the click lands.
     */
    private static FxRobotInterface selectMessage(FxRobot robot, String text) {
        ListView<?> messages = robot.lookup("#messages").queryListView();
        for (int attempt = 0; attempt < 5; attempt++) {
            // Wholly in view first: a click on a row half cut off at the top can land on the row above.
            robot.interact(() -> messages.getItems().stream()
                    .filter(item -> item instanceof MessageItem m && text.equals(m.text())).findFirst()
                    .ifPresent(item -> messages.scrollTo(messages.getItems().indexOf(item))));
            FxRobotInterface clicked = clickLabel(robot, text);
            WaitForAsyncUtils.waitForFxEvents();
            boolean selected;
            try {
                selected = WaitForAsyncUtils.asyncFx(() -> messages.getSelectionModel().getSelectedItem()
                        instanceof MessageItem m && text.equals(m.text())).get(AppUnderTest.WAIT_S, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("could not read the selection", e);
            }
            if (selected) {
                return clicked;
            }
        }
        throw new AssertionError("could not select the message '" + text + "'");
    }

    private static List<String> bobTexts(long conv) {
        return bob.latest(conv, 200).stream().filter(e -> e.kind() == EventKind.MESSAGE)
                .map(e -> Boolean.TRUE.equals(e.deleted()) ? "<deleted>" : e.text()).toList();
    }

    private long openDmId() {
        ChatClient alice = parley.client().orElseThrow();
        return alice.conversations().stream().filter(c -> c.kind() == ConversationKind.DM).findFirst()
                .orElseThrow().id();
    }

    private void openConversation(FxRobot robot, String title) {
        waitUntil("the main window", () -> robot.lookup("#mainView").tryQuery().isPresent());
        clickLabel(robot, title);
        waitUntil("the chat with " + title, () -> title.equals(robot.lookup("#chatTitle").queryAs(Label.class)
                .getText().replace("#", "")));
    }

    private static void send(FxRobot robot, String text) {
        robot.clickOn("#composer").write(text).type(KeyCode.ENTER);
    }

    // ---- the steps -------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void registerOnATypedRelayAddress(FxRobot robot) throws Exception {
        waitUntil("the sign-in screen", () -> robot.lookup("#loginView").tryQuery().isPresent());
        // The signed-out session's shortcuts went with its window.
        robot.press(KeyCode.CONTROL).type(KeyCode.N).type(KeyCode.K).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#userSearch").tryQuery().isEmpty(), "Ctrl+N opened the old session's dialog");
        robot.clickOn("#modeToggle");
        robot.clickOn("#relayUrl").write("127.0.0.1:1");
        robot.clickOn("#username").write("alice");
        robot.clickOn("#password").write(PASSWORD);
        robot.clickOn("#displayName").write("Alice");
        robot.clickOn("#submit");
        waitUntil("an error about the unreachable relay", () -> visibleLabel(robot,
                t -> t.contains("127.0.0.1:1")).isPresent());

        robot.doubleClickOn("#relayUrl").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL)
                .write(relay.url());
        robot.doubleClickOn("#password").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL)
                .write(PASSWORD);
        robot.clickOn("#submit");
        waitUntil("the main window", () -> robot.lookup("#mainView").tryQuery().isPresent());
        waitUntil("connected", () -> !robot.lookup("#banner").query().isVisible());

        Path token = AppDirs.forProfile(profile).config().resolve("session.json");
        assertTrue(Files.exists(token), "the sign-in is stored");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
        assertEquals("alice", parley.client().orElseThrow().me().username());
    }

    @Test
    @Order(2)
    void startADmFromUserSearch(FxRobot robot) {
        // A new app start: the saved sign-in opens the main window without the sign-in screen.
        waitUntil("the main window", () -> robot.lookup("#mainView").tryQuery().isPresent());
        robot.clickOn("#newDm");
        robot.clickOn("#userSearch").write("bob");
        waitUntil("only bob in the results", () -> robot.lookup("#userResults").queryListView().getItems().size() == 1);
        robot.type(KeyCode.ENTER); // the one person found
        waitUntil("the chat with Bob", () -> "Bob".equals(robot.lookup("#chatTitle").queryAs(Label.class)
                .getText()));
        waitUntil("the DM in the list", () -> robot.lookup("#conversations").queryListView().getItems().size() == 1);
    }

    @Test
    @Order(3)
    void twoClientsExchangeMessages(FxRobot robot) {
        openConversation(robot, "Bob");
        long dm = openDmId();
        send(robot, "Hello Bob");
        waitUntil("bob received it", () -> bobTexts(dm).contains("Hello Bob"));

        bob.send(dm, "Hi Alice");
        label(robot, "Hi Alice");

        robot.clickOn("#composer").write("line one").press(KeyCode.SHIFT).type(KeyCode.ENTER).release(KeyCode.SHIFT)
                .write("line two").type(KeyCode.ENTER);
        waitUntil("bob received two lines", () -> bobTexts(dm).contains("line one\nline two"));
        waitUntil("the own message shows its delivery", () -> visibleLabel(robot,
                t -> t.contains("delivered") || t.contains("read")).isPresent());
    }

    @Test
    @Order(4)
    void editAndDeleteOwnMessages(FxRobot robot) {
        openConversation(robot, "Bob");
        long dm = openDmId();
        // The context menu from the keyboard (Monocle's headless robot sends no platform menu events for a
        // right click; on a desktop the right click opens the same menu).
        clickLabel(robot, "Hello Bob").press(KeyCode.SHIFT).type(KeyCode.F10).release(KeyCode.SHIFT);
        clickLabel(robot, "Edit");
        waitUntil("the composer holds the text", () -> "Hello Bob".equals(
                robot.lookup("#composer").queryAs(TextArea.class).getText()));
        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL).write("Hello Bob, edited")
                .type(KeyCode.ENTER);
        label(robot, "Hello Bob, edited");
        waitUntil("bob sees the edit", () -> bobTexts(dm).contains("Hello Bob, edited"));

        // Delete, E and Ctrl+C act on the selected message in the chat only: elsewhere (here the conversation list)
        // they must not reach some message's menu.
        robot.clickOn("#conversations").type(KeyCode.DELETE).type(KeyCode.E);
        send(robot, "after the keys");
        waitUntil("bob received the next message", () -> bobTexts(dm).contains("after the keys"));
        assertEquals(List.of("Hello Bob, edited", "Hi Alice", "line one\nline two", "after the keys"),
                bobTexts(dm), "no message deleted or edited by keys pressed outside the chat");
        assertEquals("", robot.lookup("#composer").queryAs(TextArea.class).getText(), "no edit started");
        selectMessage(robot, "Hi Alice").press(KeyCode.CONTROL).type(KeyCode.C).release(KeyCode.CONTROL);
        waitUntil("Ctrl+C copied the selected message", () -> "Hi Alice".equals(
                Clipboard.getSystemClipboard().getString()));

        // Keyboard: select the message, Delete.
        selectMessage(robot, "Hello Bob, edited").type(KeyCode.DELETE);
        waitUntil("bob sees the deletion", () -> bobTexts(dm).getFirst().equals("<deleted>"));
        label(robot, "This message was deleted.");
    }

    @Test
    @Order(5)
    void writingWhileTheRelayIsDownDeliversAfterItReturns(FxRobot robot) {
        openConversation(robot, "Bob");
        long dm = openDmId();
        waitUntil("connected", () -> !robot.lookup("#banner").query().isVisible());
        relay.stop();
        waitUntil("the offline banner", () -> robot.lookup("#banner").query().isVisible());
        send(robot, "written while the relay was down");
        label(robot, "written while the relay was down");
        waitUntil("shown as sending", () -> visibleLabel(robot, t -> t.endsWith("sending")).isPresent());
        assertTrue(parley.client().orElseThrow().outbox(dm).size() == 1, "kept in the outbox");

        relay.restart();
        waitUntil("the banner goes away", () -> !robot.lookup("#banner").query().isVisible());
        waitUntil("bob received it once", () -> bobTexts(dm).stream()
                .filter("written while the relay was down"::equals).count() == 1);
        waitUntil("no longer sending", () -> visibleLabel(robot, t -> t.endsWith("sending")).isEmpty());
        assertTrue(parley.client().orElseThrow().outbox(dm).isEmpty());
    }

    @Test
    @Order(6)
    void systemNoticesCanBeHidden(FxRobot robot) {
        waitUntil("the main window", () -> robot.lookup("#mainView").tryQuery().isPresent());
        ChatClient carol = relay.client("carol", "Carol");
        ChatClient alice = parley.client().orElseThrow();
        ConversationSummary group = bob.create(ConversationKind.GROUP, "Planning", null, List.of(alice.myId()));
        bob.addMembers(group.id(), List.of(carol.myId()));
        bob.removeMember(group.id(), carol.myId());
        bob.send(group.id(), "agenda for monday");
        waitUntil("the group reached alice", () -> alice.latest(group.id(), 50).stream().map(LogEvent::text)
                .anyMatch("agenda for monday"::equals));

        openConversation(robot, "Planning");
        label(robot, "agenda for monday");
        Predicate<String> notice = t -> t.contains("Carol") && (t.contains("added") || t.contains("removed"));
        waitUntil("notices shown", () -> visibleLabel(robot, notice).isPresent());
        robot.clickOn("#showNotices");
        waitUntil("notices hidden", () -> visibleLabel(robot, notice).isEmpty());
        assertTrue(showsLabel(robot, "agenda for monday"), "messages stay");
        assertEquals(false, robot.lookup("#showNotices").queryAs(CheckBox.class).isSelected());
        robot.clickOn("#showNotices");
        waitUntil("notices back", () -> visibleLabel(robot, notice).isPresent());
        ListView<?> messages = robot.lookup("#messages").queryListView();
        assertTrue(messages.getItems().size() >= 4);
    }


    @Test
    @Order(7)
    void olderHistoryLoadsWhenScrollingToTheTop(FxRobot robot) {
        waitUntil("the main window", () -> robot.lookup("#mainView").tryQuery().isPresent());
        ChatClient alice = parley.client().orElseThrow();
        ConversationSummary history = bob.create(ConversationKind.GROUP, "History", null, List.of(alice.myId()));
        for (int i = 1; i <= 250; i++) {
            bob.send(history.id(), i == 5 ? "kickoff minutes" : "old message " + i);
        }
        waitUntil("all sent", () -> bob.outbox(history.id()).isEmpty());
        waitUntil("the group reached alice", () -> alice.latest(history.id(), 1).stream()
                .anyMatch(e -> "old message 250".equals(e.text())));
        openConversation(robot, "History");
        label(robot, "old message 250");
        ListView<?> messages = robot.lookup("#messages").queryListView();
        int before = messages.getItems().size();
        robot.clickOn(label(robot, "old message 250")).type(KeyCode.HOME); // keyboard: to the top of the list
        waitUntil("older messages on top", () -> messages.getItems().size() > before);
        assertTrue(messages.getItems().stream().anyMatch(item -> item instanceof MessageItem m
                && "old message 150".equals(m.text())), "the page before the first one shown was fetched");
        assertTrue(before <= 101, "the chat opened with one page, not the whole history (" + before + ")");

        // Find in the conversation: Ctrl+F, a word from far back, Enter; Down and Enter bring it into the chat.
        robot.press(KeyCode.CONTROL).type(KeyCode.F).release(KeyCode.CONTROL);
        waitUntil("the search field has the focus", () -> robot.lookup("#searchField").query().isFocused());
        robot.write("KICKOFF").type(KeyCode.ENTER);
        waitUntil("one result", () -> robot.lookup("#searchResults").queryListView().getItems().size() == 1);
        assertEquals("1 message", robot.lookup("#searchStatus").queryLabeled().getText());
        assertEquals("kickoff", robot.lookup(".search-match").<Text>query().getText(), "the match is marked as written");
        robot.type(KeyCode.DOWN).type(KeyCode.ENTER);
        waitUntil("the message far back selected in the chat", () -> messages.getSelectionModel().getSelectedItem()
                instanceof MessageItem m && "kickoff minutes".equals(m.text()));
        robot.clickOn("#searchClose");
        waitUntil("the search closed", () -> !robot.lookup("#searchBox").query().isVisible());
    }

    @Test
    @Order(8)
    void theOwnerRenamesAGroupAndAnAdminsOnlyChannelClosesTheComposer(FxRobot robot) {
        waitUntil("the main window", () -> robot.lookup("#mainView").tryQuery().isPresent());
        ChatClient alice = parley.client().orElseThrow();
        ConversationSummary group = alice.create(ConversationKind.GROUP, "Launch", null, List.of(bob.myId()));
        openConversation(robot, "Launch");
        robot.press(KeyCode.CONTROL).type(KeyCode.I).release(KeyCode.CONTROL);
        waitUntil("the details", () -> robot.lookup("#detailsName").tryQuery().isPresent());
        waitUntil("the members", () -> robot.lookup("#memberList").queryListView().getItems().size() == 2);
        assertTrue(robot.lookup("#leaveConversation").queryButton().isDisabled(),
                "the owner hands ownership over before leaving");
        assertTrue(robot.lookup("#leaveHint").query().isVisible());
        robot.clickOn("#detailsName").press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL)
                .write("Launch party");
        robot.clickOn("#detailsTopic").write("Friday, 5pm");
        robot.clickOn("#detailsSave");
        label(robot, "Saved.");
        waitUntil("bob sees the new name and topic", () -> bob.conversation(group.id())
                .map(c -> "Launch party".equals(c.name()) && "Friday, 5pm".equals(c.topic())).orElse(false));
        robot.type(KeyCode.ESCAPE); // the keyboard stays in the dialog after saving
        waitUntil("Esc closed the details", () -> robot.lookup("#detailsName").tryQuery().isEmpty());
        waitUntil("the header shows the new name", () -> "Launch party".equals(
                robot.lookup("#chatTitle").queryAs(Label.class).getText()));

        // The owner removes someone else's message after confirming.
        bob.send(group.id(), "off topic");
        clickLabel(robot, "off topic").type(KeyCode.DELETE);
        clickLabel(robot, "OK");
        waitUntil("bob sees it removed", () -> bobTexts(group.id()).equals(List.of("<deleted>")));

        ConversationSummary news = bob.create(ConversationKind.CHANNEL, "news", null, List.of(alice.myId()));
        bob.updateConversation(news.id(), null, null, PostPolicy.ADMINS);
        waitUntil("the channel reached alice", () -> alice.conversation(news.id())
                .map(c -> c.postPolicy() == PostPolicy.ADMINS).orElse(false));
        clickLabel(robot, "#news");
        waitUntil("the channel is open", () -> "#news".equals(robot.lookup("#chatTitle").queryAs(Label.class)
                .getText()));
        waitUntil("posting closed for a member", () -> robot.lookup("#postingClosed").query().isVisible());
        assertTrue(!robot.lookup("#composer").query().getParent().isVisible(), "no composer to type into");

        // Muting from the keyboard: the selected conversation's menu.
        clickLabel(robot, "#news").press(KeyCode.SHIFT).type(KeyCode.F10).release(KeyCode.SHIFT);
        clickLabel(robot, "Mute notifications");
        waitUntil("muted", () -> alice.muted().contains(news.id()));
        waitUntil("the list marks it", () -> robot.lookup("#mutedMark").queryAll().stream()
                .anyMatch(Node::isVisible));
    }

    @Test
    @Order(9)
    void changingThePasswordFromSettingsSignsTheOtherDeviceOut(FxRobot robot) {
        waitUntil("the main window", () -> robot.lookup("#mainView").tryQuery().isPresent());
        var otherDevice = relay.api().login("alice", PASSWORD, new DeviceInfo(null, "tablet",
                "t", "t"));
        robot.clickOn("#settings");
        waitUntil("both devices listed", () -> robot.lookup("#devices").queryListView().getItems().size() == 2);
        robot.clickOn("#changePassword");
        waitUntil("the password form", () -> robot.lookup("#currentPassword").tryQuery().isPresent());
        robot.clickOn("#currentPassword").write(PASSWORD);
        robot.clickOn("#newPassword").write(NEW_PASSWORD);
        robot.clickOn("#repeatPassword").write("battery staple hors");
        waitUntil("the mismatch shown", () -> "The new passwords don’t match.".equals(
                robot.lookup("#passwordHint").queryLabeled().getText()));
        assertTrue(robot.lookup("#submitPassword").query().isDisabled());
        robot.write("e").type(KeyCode.ENTER);
        waitUntil("the form closes once the relay took it", () -> robot.lookup("#currentPassword").tryQuery()
                .isEmpty());
        waitUntil("the settings say so", () -> robot.lookup("#passwordChanged").query().isVisible());
        waitUntil("only this device left", () -> robot.lookup("#devices").queryListView().getItems().size() == 1);
        closeDialogWith(robot, "#devices", "Close");
        var refused = assertThrows(ApiException.class,
                () -> relay.api().refresh(otherDevice.refreshToken()));
        assertEquals(ErrorCode.SESSION_REVOKED, refused.code());
    }

    @Test
    @Order(10)
    void switchingToGermanRebuildsTheWindow(FxRobot robot) {
        waitUntil("the main window", () -> robot.lookup("#mainView").tryQuery().isPresent());
        robot.clickOn("#settings");
        waitUntil("the devices list", () -> !robot.lookup("#devices").queryListView().getItems().isEmpty());
        robot.clickOn("#languageChoice");
        clickLabel(robot, "Deutsch");
        waitUntil("Deutsch chosen", () -> "de".equals(robot.lookup("#languageChoice").<ChoiceBox<String>>query()
                .getValue()));
        closeDialogWith(robot, "#languageChoice", "Close");
        waitUntil("German labels", () -> "Neue Nachricht".equals(robot.lookup("#newDm").queryButton().getText()));
        assertEquals("de", parley.i18n().locale().getLanguage());
    }

    @Test
    @Order(11)
    void signingOutForgetsTheSignIn(FxRobot robot) {
        waitUntil("the main window (still German after a restart)", () -> robot.lookup("#newDm").tryQuery()
                .map(n -> "Neue Nachricht".equals(((Button) n).getText())).orElse(false));
        // Dialogs speak the chosen language to the last button (JavaFX's own Cancel follows the system's).
        robot.clickOn("#newDm");
        waitUntil("the dialog", () -> robot.lookup("#userSearch").tryQuery().isPresent());
        closeDialogWith(robot, "#userSearch", "Abbrechen");
        robot.clickOn("#settings");
        robot.clickOn("#signOut");
        waitUntil("the sign-in screen", () -> robot.lookup("#loginView").tryQuery().isPresent());
        // The signed-out session's shortcuts went with its window.
        robot.press(KeyCode.CONTROL).type(KeyCode.N).type(KeyCode.K).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#userSearch").tryQuery().isEmpty(), "Ctrl+N opened the old session's dialog");
        assertTrue(Files.notExists(AppDirs.forProfile(profile).config().resolve("session.json")));
        var check = relay.api().login("alice", NEW_PASSWORD, new DeviceInfo(null, "check", "t",
                "t"));
        waitUntil("the relay ended the app's session", () -> relay.api().sessions(check.accessToken()).stream()
                .allMatch(session -> session.id().equals(check.sessionId())));
    }
}
