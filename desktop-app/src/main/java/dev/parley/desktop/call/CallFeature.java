package dev.parley.desktop.call;

import dev.parley.desktop.net.ChatClient;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ConversationSummary;
import dev.parley.protocol.EventKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.MemberInfo;
import dev.parley.protocol.UserSummary;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.stage.Window;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Calls wired for one signed-in account: the session on its own call thread, the view model, the incoming-call and
 * call windows, the header buttons and the history. The composition root creates one per session and closes it on
 * sign-out and exit, which hangs up and releases the media before the relay connection goes.
 */
public final class CallFeature implements AutoCloseable {
    private final ChatClient client;
    private final CallEngine engine;
    private final ExecutorService callThread = Executors.newSingleThreadExecutor(Thread.ofPlatform()
            .name("parley-call").daemon(true).factory());
    private final CallSession session;
    private final CallViewModel vm;
    private final CallText text;
    private final Executor background;
    private final Executor ui;
    private final Window owner;
    private final IncomingCallWindow incoming;
    private final CallWindow window;

    public CallFeature(ChatClient client, CallEngine engine, Executor ui, Executor background, Locale locale,
                       Path ringtoneDir, Window owner, Consumer<String> notifyMissed, Clock clock) {
        this.client = client;
        this.engine = engine;
        this.background = background;
        this.ui = ui;
        this.owner = owner;
        this.text = new CallText(locale);
        this.session = new CallSession(engine, new RelayCallSignaling(client.calls()), callThread, clock,
                IcePolicy.ALL);
        client.calls().addListener(session);
        this.vm = new CallViewModel(session, ui, text, clock, this::userName, this::peerName, notifyMissed);
        // Without a sound server javafx-media cannot open a player, and AudioClip reports that from a thread of its
        // own, where nothing can catch it: ring silently then (the window is the signal).
        this.incoming = new IncomingCallWindow(vm, audioAvailable(System.getenv()) ? ringtone(ringtoneDir) : null);
        this.window = new CallWindow(vm, () -> RobotScreenSource.wholeScreen(1280, 10));
        vm.phaseProperty().addListener((o, was, now) -> {
            switch (now) {
                case NONE -> {
                    incoming.hide();
                    window.hide();
                }
                case INCOMING -> {
                    // An ended call's window left open would now show the new call, and closing it would
                    // decline that call: the ringing window alone is the place to answer.
                    window.hide();
                    incoming.show();
                }
                case OUTGOING, IN_CALL, ENDED -> {
                    incoming.hide();
                    window.show();
                }
            }
        });
    }

    /** Picks the engine this machine can run without crashing: real audio only where a sound server exists. */
    public static CallEngine engineForThisMachine(Map<String, String> env) {
        return new WebRtcCallEngine(audioAvailable(env) ? new AudioInput.Devices() : new AudioInput.Headless(),
                new VideoInput.Camera(640, 480, 30));
    }

    static boolean audioAvailable(Map<String, String> env) {
        if ("none".equalsIgnoreCase(env.get("PARLEY_AUDIO"))) {
            return false;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return true;
        }
        if (env.containsKey("PULSE_SERVER")) {
            return true;
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        return runtime != null && (Files.exists(Path.of(runtime, "pulse", "native"))
                || Files.exists(Path.of(runtime, "pipewire-0")));
    }

    private static Path ringtone(Path dir) {
        try {
            return Ringtone.file(dir);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Audio call, video call and history buttons, shown for DMs only. */
    public Node headerButtons(ObservableValue<ConversationSummary> conversation) {
        Button audio = new Button("\u260E");
        audio.setId("audioCallButton");
        audio.setTooltip(new Tooltip(text.t("call.audio")));
        audio.setOnAction(e -> startCall(conversation.getValue(), CallMedia.AUDIO));
        Button video = new Button(null, CallIcons.videoCamera());
        video.setId("videoCallButton");
        video.setTooltip(new Tooltip(text.t("call.video")));
        video.setOnAction(e -> startCall(conversation.getValue(), CallMedia.VIDEO));
        Button history = new Button(null, CallIcons.clock());
        history.setId("callHistoryButton");
        history.setTooltip(new Tooltip(text.t("call.history")));
        history.setOnAction(e -> showHistory(conversation.getValue()));
        Button devices = new Button("\u2699");
        devices.setId("callDevicesButton");
        devices.setTooltip(new Tooltip(text.t("call.devices")));
        devices.setOnAction(e -> DeviceDialog.show(owner, engine, text, ui));
        HBox box = new HBox(6, audio, video, history, devices);
        box.visibleProperty().bind(conversation.map(c -> c.kind() == ConversationKind.DM).orElse(false));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    private void startCall(ConversationSummary conv, CallMedia media) {
        if (conv != null) {
            vm.call(conv.id(), media);
        }
    }

    /** The history of {@code conv} (switchable to all conversations), or of every conversation when null. */
    public void showHistory(ConversationSummary conv) {
        new CallHistoryView(text, client.myId(), this::userName, this::conversationName, background)
                .show(owner, conv == null ? null : () -> client.calls().history(conv.id(), 100),
                        () -> client.calls().history(0, 100), this::onCallLogged);
    }

    /**
     * A call's record reaches its conversation as a log event once the relay has stored it. Older pages of a chat
     * scrolled into view bring old call events too (below the newest seq the conversation had when the window
     * opened); those are already listed and must not reload the window.
     */
    private AutoCloseable onCallLogged(Runnable logged) {
        Map<Long, Long> newestSeqAtOpen = client.conversations().stream()
                .collect(Collectors.toMap(ConversationSummary::id, ConversationSummary::lastSeq, Math::max));
        ChatClient.Listener listener = new ChatClient.Listener() {
            @Override
            public void eventsAdded(long conv, List<LogEvent> events) {
                long newest = newestSeqAtOpen.getOrDefault(conv, 0L);
                if (events.stream().anyMatch(e -> e.kind() == EventKind.CALL && e.seq() > newest)) {
                    logged.run();
                }
            }
        };
        client.addListener(listener);
        return () -> client.removeListener(listener);
    }

    private String userName(long user) {
        UserSummary u = client.users().get(user);
        return u == null ? "#" + user : u.displayName() != null ? u.displayName() : u.username();
    }

    private String peerName(long conv) {
        return client.conversation(conv).flatMap(c -> c.members().stream().map(MemberInfo::user)
                        .filter(u -> u.id() != client.myId()).findFirst())
                .map(u -> u.displayName() != null ? u.displayName() : u.username()).orElse("");
    }

    private String conversationName(long conv) {
        return client.conversation(conv).map(c -> c.kind() == ConversationKind.DM ? peerName(conv)
                : c.name()).orElse("#" + conv);
    }

    public CallViewModel viewModel() {
        return vm;
    }

    @Override
    public void close() {
        client.calls().removeListener(session);
        session.close();
        // The hang-up above queued a last UI update; by the time it runs the account's cache may be closed.
        vm.close();
        callThread.shutdown();
        incoming.hide();
        window.hide();
        engine.close();
    }
}
