package dev.parley.desktop.call;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioDevice;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioDeviceModuleBase;
import dev.onvoid.webrtc.media.audio.AudioLayer;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.AudioTrackSource;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.I420Buffer;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoCaptureCapability;
import dev.onvoid.webrtc.media.video.VideoDevice;
import dev.onvoid.webrtc.media.video.VideoDeviceSource;
import dev.onvoid.webrtc.media.video.VideoFrame;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSink;
import dev.onvoid.webrtc.media.video.VideoTrackSource;
import dev.parley.protocol.Signal;
import dev.parley.protocol.SignalKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call's peer connection and everything native it needs. It owns its factory, audio module, sources, tracks and
 * frame pushers, and {@link #close()} releases them in one fixed order (pushers, sinks, connection, tracks, sources,
 * audio module, factory): a pusher still writing into a disposed source, or a sink called after its track is gone,
 * crashes the JVM.
 */
final class WebRtcPeer implements MediaPeer {
    private static final Logger LOG = LoggerFactory.getLogger(WebRtcPeer.class);

    private final Listener listener;
    private final boolean loopbackOnly;
    // Not final: a constructor that fails half-way releases what it built through close(), which sees null for
    // whatever was not built yet.
    private AudioDeviceModuleBase audioModule;
    private PeerConnectionFactory factory;
    private RTCPeerConnection pc;
    private final ScheduledExecutorService pushers;

    private AudioTrackSource audioSource;
    private AudioTrack audioTrack;
    // Every call negotiates a video line, so an audio call can become a video call (and share a screen) by swapping
    // the sender's track instead of renegotiating. The sender carries exactly one of: the idle track (a source that
    // never gets a frame: nothing is sent), the camera track (video on), the screen track (sharing).
    private final VideoInput video;
    private final MediaDevice camera;
    private CustomVideoSource idleSource;
    private VideoTrack idleTrack;
    private RTCRtpSender videoSender;
    private VideoTrackSource cameraSource;
    private VideoTrack cameraTrack;
    private ScheduledFuture<?> cameraTask;
    private boolean cameraEnabled = true;
    private int cameraTracks;
    private CustomVideoSource screenSource;
    private VideoTrack screenTrack;
    private ScreenSource screen;
    private ScheduledFuture<?> screenTask;
    private final List<VideoTrack> remoteVideo = new ArrayList<>();
    private final List<AudioTrack> remoteAudio = new ArrayList<>();
    private final VideoTrackSink remoteVideoSink;
    private final AudioTrackSink remoteAudioSink;
    private volatile boolean closed;
    private final VideoTrackSink localSink = this::onLocalFrame;

    private void onLocalFrame(VideoFrame frame) {
        // The self view only needs a few frames a second; converting every one would double the CPU cost.
        if (!closed && (frameCounter++ % 3) == 0) {
            deliver(frame, true);
        }
    }
    private long frameCounter;
    private long lastStatsNanos;
    private long lastBytesSent;
    private long lastBytesReceived;

    WebRtcPeer(PeerConfig config, AudioInput audio, VideoInput video, MediaDevice camera, MediaDevice microphone,
               MediaDevice speaker, Listener listener) {
        this.listener = listener;
        this.video = video;
        this.camera = camera;
        this.loopbackOnly = config.policy() == IcePolicy.LOOPBACK;
        this.pushers = Executors.newScheduledThreadPool(1, Thread.ofPlatform().name("parley-media").daemon(true)
                .factory());
        this.remoteVideoSink = this::onRemoteFrame;
        this.remoteAudioSink = this::onRemoteAudio;
        try {
            open(config, audio, microphone, speaker);
        } catch (RuntimeException | Error e) {
            // A camera another program holds, a device unplugged meanwhile: nothing built so far may outlive this
            // (native objects, the tone's pusher thread).
            try {
                close();
            } catch (RuntimeException | Error cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void open(PeerConfig config, AudioInput audio, MediaDevice microphone, MediaDevice speaker) {
        // The audio module decides what can crash; see AudioInput.
        switch (audio) {
            case AudioInput.Devices ignored -> {
                AudioDeviceModule adm = new AudioDeviceModule();
                audioModule = adm;
                select(adm, microphone, speaker);
                factory = new PeerConnectionFactory(adm);
                audioSource = factory.createAudioSource(new AudioOptions());
            }
            case AudioInput.Tone tone -> {
                audioModule = new AudioDeviceModule(AudioLayer.kDummyAudio);
                factory = new PeerConnectionFactory(audioModule);
                CustomAudioSource custom = new CustomAudioSource();
                audioSource = custom;
                startTone(custom, tone.hz());
            }
            case AudioInput.Headless ignored -> {
                HeadlessAudioDeviceModule headless = new HeadlessAudioDeviceModule();
                audioModule = headless;
                factory = new PeerConnectionFactory(headless);
                // Playout only after the factory exists, or the module renders nothing (DESIGN.md section 7).
                headless.initPlayout();
                headless.startPlayout();
                audioSource = factory.createAudioSource(new AudioOptions());
            }
        }
        audioTrack = factory.createAudioTrack("audio0", audioSource);

        RTCConfiguration rtc = new RTCConfiguration();
        for (dev.parley.protocol.IceServer server : config.iceServers()) {
            RTCIceServer ice = new RTCIceServer();
            ice.urls = new ArrayList<>(server.urls());
            ice.username = server.username();
            ice.password = server.credential();
            rtc.iceServers.add(ice);
        }
        if (config.policy() == IcePolicy.RELAY) {
            rtc.iceTransportPolicy = dev.onvoid.webrtc.RTCIceTransportPolicy.RELAY;
        }
        if (loopbackOnly) {
            // One default-route socket instead of one per adapter; its host candidates are rewritten to 127.0.0.1.
            rtc.portAllocatorConfig.setDisableAdapterEnumeration(true);
            rtc.portAllocatorConfig.setDisableTcp(true);
        }
        pc = factory.createPeerConnection(rtc, new Observer());
        pc.addTrack(audioTrack, List.of("parley"));

        idleSource = new CustomVideoSource();
        idleTrack = factory.createVideoTrack("idle0", idleSource);
        videoSender = pc.addTrack(config.video() ? openCamera() : idleTrack, List.of("parley"));
    }

    /** Opens the configured camera (or synthetic picture) and returns its track, with the self view attached. */
    private VideoTrack openCamera() {
        switch (video) {
            case VideoInput.Camera cam -> {
                VideoDevice chosen = WebRtcCallEngine.findCamera(camera);
                if (chosen == null) {
                    // No camera: a source that never gets a frame, rather than an unconfigured capturer.
                    cameraSource = new CustomVideoSource();
                } else {
                    VideoDeviceSource device = new VideoDeviceSource();
                    device.setVideoCaptureDevice(chosen);
                    device.setVideoCaptureCapability(new VideoCaptureCapability(cam.width(), cam.height(),
                            cam.fps()));
                    cameraSource = started(device, device::start);
                }
            }
            case VideoInput.Synthetic synthetic -> {
                CustomVideoSource custom = new CustomVideoSource();
                cameraSource = started(custom, () -> cameraTask = startPattern(custom, synthetic));
            }
            case VideoInput.None ignored -> cameraSource = new CustomVideoSource();
        }
        // A fresh id per opening: the track of an earlier switch may still be on its way out of the native side.
        cameraTrack = factory.createVideoTrack("video" + cameraTracks++, cameraSource);
        cameraTrack.setEnabled(cameraEnabled);
        cameraTrack.addSink(localSink);
        return cameraTrack;
    }

    /** Starts a source just made; one that fails to start is released before the failure goes on. */
    private static <S extends VideoTrackSource> S started(S source, Runnable start) {
        try {
            start.run();
        } catch (RuntimeException | Error e) {
            disposeSource(source);
            throw e;
        }
        return source;
    }

    /**
     * Stops and releases the camera. The caller has taken its track off the sender already: a track a sender still
     * holds cannot be disposed.
     */
    private void closeCamera() {
        if (cameraTask != null) {
            cameraTask.cancel(false);
            awaitQuiet();
            cameraTask = null;
        }
        cameraTrack.removeSink(localSink);
        if (cameraSource instanceof VideoDeviceSource device) {
            quietly(device::stop);
        }
        quietly(cameraTrack::dispose);
        disposeSource(cameraSource);
        cameraTrack = null;
        cameraSource = null;
    }

    private static void disposeSource(VideoTrackSource source) {
        if (source instanceof CustomVideoSource custom) {
            quietly(custom::dispose);
        } else if (source instanceof VideoDeviceSource device) {
            quietly(device::dispose);
        }
    }


    static void select(AudioDeviceModule adm, MediaDevice microphone, MediaDevice speaker) {
        if (microphone != null) {
            for (AudioDevice d : adm.getRecordingDevices()) {
                if (d.getDescriptor().equals(microphone.id())) {
                    adm.setRecordingDevice(d);
                }
            }
        }
        if (speaker != null) {
            for (AudioDevice d : adm.getPlayoutDevices()) {
                if (d.getDescriptor().equals(speaker.id())) {
                    adm.setPlayoutDevice(d);
                }
            }
        }
    }

    private void startTone(CustomAudioSource source, double hz) {
        SineTone tone = new SineTone(hz);
        pushers.scheduleAtFixedRate(() -> {
            if (closed) {
                return;
            }
            source.pushAudio(tone.next(), 16, SineTone.SAMPLE_RATE, 1, SineTone.SAMPLES_PER_10MS);
        }, 0, 10, TimeUnit.MILLISECONDS);
    }

    private ScheduledFuture<?> startPattern(CustomVideoSource source, VideoInput.Synthetic s) {
        long[] n = {0};
        return pushers.scheduleAtFixedRate(() -> {
            if (closed) {
                return;
            }
            NativeI420Buffer buffer = NativeI420Buffer.allocate(s.width(), s.height());
            I420.pattern(buffer, s.luma(), n[0]++);
            VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
            try {
                source.pushFrame(frame);
            } finally {
                frame.release();
            }
        }, 0, 1000 / s.fps(), TimeUnit.MILLISECONDS);
    }

    private void onRemoteFrame(VideoFrame frame) {
        if (closed) {
            return;
        }
        deliver(frame, false);
    }

    private void deliver(VideoFrame frame, boolean local) {
        I420Buffer i420 = frame.buffer.toI420();
        try {
            VideoImage image = I420.toImage(i420, frame.timestampNs);
            if (local) {
                listener.localVideo(image);
            } else {
                listener.remoteVideo(image);
            }
        } finally {
            i420.release();
        }
    }

    private void onRemoteAudio(byte[] data, int bits, int rate, int channels, int frames) {
        if (closed || bits != 16) {
            return;
        }
        short[] pcm = new short[frames * channels];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) ((data[2 * i] & 0xff) | (data[2 * i + 1] << 8));
        }
        listener.remoteAudio(pcm, rate, channels);
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            if (closed) {
                return;
            }
            String sdp = loopbackOnly ? toLoopback(candidate.sdp) : candidate.sdp;
            listener.iceCandidate(new Signal(SignalKind.ICE, null, sdp, candidate.sdpMid, candidate.sdpMLineIndex));
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            if (closed) {
                return;
            }
            listener.stateChanged(switch (state) {
                case NEW -> PeerState.NEW;
                case CONNECTING -> PeerState.CONNECTING;
                case CONNECTED -> PeerState.CONNECTED;
                case DISCONNECTED -> PeerState.DISCONNECTED;
                case FAILED -> PeerState.FAILED;
                case CLOSED -> PeerState.CLOSED;
            });
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            if (closed) {
                return;
            }
            MediaStreamTrack track = transceiver.getReceiver().getTrack();
            synchronized (WebRtcPeer.this) {
                if (track instanceof VideoTrack video) {
                    video.addSink(remoteVideoSink);
                    remoteVideo.add(video);
                } else if (track instanceof AudioTrack audio) {
                    audio.addSink(remoteAudioSink);
                    remoteAudio.add(audio);
                }
            }
        }
    }

    /** Rewrites the address of a host candidate to 127.0.0.1 (field 5 of "candidate:f c proto prio addr port typ"). */
    static String toLoopback(String candidate) {
        String[] f = candidate.split(" ");
        if (f.length > 7 && "typ".equals(f[6]) && "host".equals(f[7])) {
            f[4] = "127.0.0.1";
            return String.join(" ", f);
        }
        return candidate;
    }

    @Override
    public CompletableFuture<String> createOffer() {
        CompletableFuture<String> result = new CompletableFuture<>();
        pc.createOffer(new RTCOfferOptions(), new DescriptionObserver(result));
        return result;
    }

    @Override
    public CompletableFuture<String> answer(String offerSdp) {
        CompletableFuture<String> result = new CompletableFuture<>();
        pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offerSdp), new SetObserver(() ->
                pc.createAnswer(new RTCAnswerOptions(), new DescriptionObserver(result)), result));
        return result;
    }

    @Override
    public CompletableFuture<Void> acceptAnswer(String answerSdp) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, answerSdp),
                new SetObserver(() -> result.complete(null), result));
        return result;
    }

    /** Creates a description, sets it as local, completes with its SDP. */
    private final class DescriptionObserver implements CreateSessionDescriptionObserver {
        private final CompletableFuture<String> result;

        DescriptionObserver(CompletableFuture<String> result) {
            this.result = result;
        }

        @Override
        public void onSuccess(RTCSessionDescription description) {
            pc.setLocalDescription(description, new SetObserver(() -> result.complete(description.sdp), result));
        }

        @Override
        public void onFailure(String error) {
            result.completeExceptionally(new IllegalStateException(error));
        }
    }

    private record SetObserver(Runnable then, CompletableFuture<?> result) implements SetSessionDescriptionObserver {
        @Override
        public void onSuccess() {
            then.run();
        }

        @Override
        public void onFailure(String error) {
            result.completeExceptionally(new IllegalStateException(error));
        }
    }

    @Override
    public void addRemoteCandidate(Signal candidate) {
        if (!closed) {
            pc.addIceCandidate(new RTCIceCandidate(candidate.sdpMid(),
                    candidate.sdpMLineIndex() == null ? 0 : candidate.sdpMLineIndex(), candidate.candidate()));
        }
    }

    @Override
    public void setMicrophoneMuted(boolean muted) {
        if (audioTrack != null) {
            audioTrack.setEnabled(!muted);
        }
    }

    @Override
    public synchronized void setCameraOn(boolean on) {
        cameraEnabled = on;
        if (cameraTrack != null && !closed) {
            cameraTrack.setEnabled(on);
        }
    }

    @Override
    public synchronized void setVideo(boolean on) {
        if (closed || on == (cameraTrack != null)) {
            return;
        }
        if (on) {
            cameraEnabled = true;
            VideoTrack track = openCamera();
            if (screenTrack == null) {
                videoSender.replaceTrack(track);
            }
        } else {
            if (screenTrack == null) {
                videoSender.replaceTrack(idleTrack);
            }
            closeCamera();
        }
    }

    /** What the sender carries when no screen is shared. */
    private VideoTrack currentCameraTrack() {
        return cameraTrack != null ? cameraTrack : idleTrack;
    }

    @Override
    public synchronized void startScreenShare(ScreenSource source) {
        if (closed) {
            throw new IllegalStateException("the call is over");
        }
        stopScreenShare();
        screen = source;
        screenSource = new CustomVideoSource();
        screenTrack = factory.createVideoTrack("screen0", screenSource);
        screenTrack.addSink(localSink);
        CustomVideoSource target = screenSource;
        screenTask = pushers.scheduleAtFixedRate(() -> pushScreen(source, target), 0,
                1000 / Math.max(1, source.framesPerSecond()), TimeUnit.MILLISECONDS);
        videoSender.replaceTrack(screenTrack);
    }

    private void pushScreen(ScreenSource source, CustomVideoSource target) {
        if (closed) {
            return;
        }
        try {
            VideoImage image = source.capture();
            // I420 needs even sizes; drop a last odd row/column.
            int w = image.width() & ~1;
            int h = image.height() & ~1;
            if (w != image.width() || h != image.height()) {
                int[] cropped = new int[w * h];
                for (int row = 0; row < h; row++) {
                    System.arraycopy(image.argb(), row * image.width(), cropped, row * w, w);
                }
                image = new VideoImage(w, h, cropped, image.timestampNs());
            }
            NativeI420Buffer buffer = NativeI420Buffer.allocate(w, h);
            I420.fill(buffer, image);
            VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
            try {
                target.pushFrame(frame);
            } finally {
                frame.release();
            }
        } catch (RuntimeException e) {
            LOG.warn("screen capture failed", e);
        }
    }

    @Override
    public synchronized void stopScreenShare() {
        if (screenTask == null) {
            return;
        }
        screenTask.cancel(false);
        awaitQuiet();
        if (!closed) {
            videoSender.replaceTrack(currentCameraTrack());
        }
        screenTrack.removeSink(localSink);
        screenTrack.dispose();
        screenSource.dispose();
        screen.close();
        screenTask = null;
        screenTrack = null;
        screenSource = null;
        screen = null;
    }

    /** Waits until a running push (if any) has finished, by queueing a no-op behind it on the single pusher. */
    private void awaitQuiet() {
        try {
            pushers.submit(() -> { }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("pusher did not go quiet", e);
        }
    }

    public boolean sharingScreen() {
        return screenTask != null;
    }

    @Override
    public CompletableFuture<CallStats> stats() {
        CompletableFuture<CallStats> result = new CompletableFuture<>();
        if (closed) {
            result.complete(CallStats.NONE);
            return result;
        }
        pc.getStats(report -> {
            try {
                result.complete(parse(report));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private synchronized CallStats parse(RTCStatsReport report) {
        Map<String, RTCStats> all = report.getStats();
        long bytesSent = 0;
        long bytesReceived = 0;
        long packetsReceived = 0;
        long packetsLost = 0;
        long framesDecoded = 0;
        double fps = 0;
        int width = 0;
        int height = 0;
        long samples = 0;
        String videoCodec = null;
        String audioCodec = null;
        Double rtt = null;
        String selectedPair = null;
        for (RTCStats s : all.values()) {
            Map<String, Object> a = s.getAttributes();
            switch (s.getType()) {
                case OUTBOUND_RTP -> bytesSent += num(a.get("bytesSent"));
                case INBOUND_RTP -> {
                    bytesReceived += num(a.get("bytesReceived"));
                    packetsReceived += num(a.get("packetsReceived"));
                    packetsLost += num(a.get("packetsLost"));
                    String codec = codec(all, a.get("codecId"));
                    if ("video".equals(a.get("kind"))) {
                        framesDecoded += num(a.get("framesDecoded"));
                        fps = Math.max(fps, dbl(a.get("framesPerSecond")));
                        width = (int) Math.max(width, num(a.get("frameWidth")));
                        height = (int) Math.max(height, num(a.get("frameHeight")));
                        videoCodec = codec;
                    } else {
                        samples += num(a.get("totalSamplesReceived"));
                        audioCodec = codec;
                    }
                }
                case TRANSPORT -> {
                    Object id = a.get("selectedCandidatePairId");
                    if (id != null) {
                        selectedPair = id.toString();
                    }
                }
                default -> {
                    // other stats types carry nothing shown in the call view
                }
            }
        }
        CandidatePath path = CandidatePath.UNKNOWN;
        RTCStats pair = selectedPair == null ? null : all.get(selectedPair);
        if (pair == null) {
            pair = all.values().stream().filter(s -> s.getType() == dev.onvoid.webrtc.RTCStatsType.CANDIDATE_PAIR)
                    .filter(s -> Boolean.TRUE.equals(s.getAttributes().get("nominated"))
                            && "succeeded".equals(String.valueOf(s.getAttributes().get("state"))))
                    .findFirst().orElse(null);
        }
        if (pair != null) {
            Object r = pair.getAttributes().get("currentRoundTripTime");
            if (r != null) {
                rtt = dbl(r) * 1000;
            }
            RTCStats local = all.get(String.valueOf(pair.getAttributes().get("localCandidateId")));
            if (local != null) {
                path = CandidatePath.of(String.valueOf(local.getAttributes().get("candidateType")));
            }
        }
        long now = System.nanoTime();
        double seconds = lastStatsNanos == 0 ? 0 : (now - lastStatsNanos) / 1e9;
        double sendKbps = seconds > 0 ? (bytesSent - lastBytesSent) * 8 / 1000.0 / seconds : 0;
        double recvKbps = seconds > 0 ? (bytesReceived - lastBytesReceived) * 8 / 1000.0 / seconds : 0;
        lastStatsNanos = now;
        lastBytesSent = bytesSent;
        lastBytesReceived = bytesReceived;
        return new CallStats(bytesSent, bytesReceived, sendKbps, recvKbps, rtt, packetsReceived, packetsLost,
                videoCodec, audioCodec, framesDecoded, fps, width, height, samples, path);
    }

    private static String codec(Map<String, RTCStats> all, Object codecId) {
        RTCStats codec = codecId == null ? null : all.get(codecId.toString());
        if (codec == null) {
            return null;
        }
        String mime = String.valueOf(codec.getAttributes().get("mimeType"));
        int slash = mime.indexOf('/');
        return slash >= 0 ? mime.substring(slash + 1) : mime;
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static double dbl(Object o) {
        return o instanceof Number n ? n.doubleValue() : 0;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        // 1. Stop every pusher and wait for a running push to finish: nothing writes into a source after this.
        stopAndWait(pushers);
        synchronized (this) {
            releaseNative();
        }
    }

    /** Steps 2 to 5 of {@link #close()}; after a failed constructor some of these are still null. */
    private void releaseNative() {
        // 2. Detach sinks so no frame callback reaches Java after the tracks are gone.
        for (VideoTrack t : remoteVideo) {
            t.removeSink(remoteVideoSink);
        }
        for (AudioTrack t : remoteAudio) {
            t.removeSink(remoteAudioSink);
        }
        if (cameraTrack != null) {
            cameraTrack.removeSink(localSink);
        }
        if (screenTrack != null) {
            screenTrack.removeSink(localSink);
        }
        // 3. Detach our tracks from their senders (a track a sender still holds cannot be disposed), then the
        //    connection, which stops the transports and media threads.
        if (pc != null) {
            for (RTCRtpSender sender : pc.getSenders()) {
                quietly(() -> pc.removeTrack(sender));
            }
            pc.close();
        }
        // 4. Our own tracks, then their sources (a camera is stopped first).
        if (cameraSource instanceof VideoDeviceSource device) {
            quietly(device::stop);
        }
        if (screenTrack != null) {
            quietly(screenTrack::dispose);
            quietly(screenSource::dispose);
            quietly(screen::close);
        }
        if (cameraTrack != null) {
            quietly(cameraTrack::dispose);
        }
        if (idleTrack != null) {
            quietly(idleTrack::dispose);
        }
        if (audioTrack != null) {
            quietly(audioTrack::dispose);
        }
        disposeSource(cameraSource);
        if (idleSource != null) {
            quietly(idleSource::dispose);
        }
        if (audioSource instanceof CustomAudioSource custom) {
            quietly(custom::dispose);
        }
        // 5. The audio module, then the factory (the order webrtc-java's own examples use).
        if (audioModule instanceof HeadlessAudioDeviceModule headless) {
            quietly(headless::stopPlayout);
        }
        if (audioModule != null) {
            quietly(audioModule::dispose);
        }
        if (factory != null) {
            quietly(factory::dispose);
        }
    }

    /** Cancels every scheduled push and waits (bounded) for one that is running to return. */
    static void stopAndWait(ScheduledExecutorService pushers) {
        pushers.shutdownNow();
        try {
            pushers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            // webrtc-java reports leaked native references as Error; teardown goes on regardless.
            LOG.warn("teardown step failed: {}", e.toString());
        }
    }
}
