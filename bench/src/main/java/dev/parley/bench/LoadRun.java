package dev.parley.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The load scenarios against either server, on one {@link WsLoop} thread: chat (C clients in R rooms, S open-loop
 * senders at a fixed rate), knee (the same, stepping the rate), idle (memory per connection) and round trips
 * (1 KB SDP offers and answers: the peer's webrtc-signal, Parley's call_signal inside an answered call). Every loop
 * is bounded in time.
 */
final class LoadRun {
    enum Target { PARLEY, PEER }

    static final long NS = 1_000_000_000L;
    private static final long RID_PHASE = 100_000_000L;

    private static final byte[] P_EVENT = Bytes.ascii("{\"type\":\"event\",");
    private static final byte[] P_ACK = Bytes.ascii("{\"type\":\"ack\",");
    private static final byte[] P_ERROR = Bytes.ascii("{\"type\":\"error\"");
    private static final byte[] P_WELCOME = Bytes.ascii("{\"type\":\"welcome\"");
    private static final byte[] P_CALL_SIGNAL = Bytes.ascii("{\"type\":\"call_signal\"");
    private static final byte[] P_CALL_RING = Bytes.ascii("{\"type\":\"call_ring\"");
    private static final byte[] P_CALL_ACCEPTED = Bytes.ascii("{\"type\":\"call_accepted\"");
    private static final byte[] P_CALL_ENDED = Bytes.ascii("{\"type\":\"call_ended\"");
    private static final byte[] CALL_ID = Bytes.ascii("\"callId\":\"");
    private static final byte[] KIND_ANSWER = Bytes.ascii("\"kind\":\"answer\"");
    private static final byte[] SDP_SEQ = Bytes.ascii("\"sdp\":\"v=0 o=- ");
    private static final byte[] P_EVENTS = Bytes.ascii("{\"type\":\"events\",");
    private static final byte[] RID = Bytes.ascii("\"rid\":\"");
    private static final byte[] S_MESSAGE = Bytes.ascii("42[\"receive-message\",");
    private static final byte[] S_SIGNAL = Bytes.ascii("42[\"webrtc-signal\",");
    private static final byte[] S_JOINED = Bytes.ascii("42[\"user-");
    private static final byte[] S_OK = Bytes.ascii("\"ok\":true");
    private static final byte[] OFFER = Bytes.ascii("\"type\":\"offer\"");
    private static final byte[] ANSWER = Bytes.ascii("\"type\":\"answer\"");
    private static final byte[] TEXT = Bytes.ascii("\"text\":\"B|");
    private static final byte[] PONG = Bytes.ascii("3");

    private final Target target;
    private final Args args;
    private final int port;
    private final long serverPid;
    private final WsLoop loop;
    private final String tag;

    LoadRun(Args args) {
        this.args = args;
        this.target = Target.valueOf(args.str("target", "parley").toUpperCase());
        this.port = args.integer("port", target == Target.PARLEY ? 7400 : 7301);
        this.serverPid = args.lng("server-pid", 0);
        this.loop = new WsLoop("127.0.0.1", port);
        this.tag = args.str("tag", "g" + ProcessHandle.current().pid());
    }

    // ------------------------------------------------------------------------------------------------ clients

    final class Client implements WsLoop.Handler {
        final int index;
        final String username;
        long userId;
        String token;
        String room;
        long conv;
        int roomIndex;
        WsLoop.Conn conn;
        long connectStart;
        boolean connected;
        boolean ready;
        boolean needsJoin;
        String failure;
        int disconnects;
        int[] lastFromSender;
        Pair pair;
        long lastPingNanos;

        Client(int index, String username) {
            this.index = index;
            this.username = username;
        }

        @Override
        public void open(WsLoop.Conn c) {
            if (target == Target.PARLEY) {
                c.sendText(Bytes.ascii("{\"type\":\"hello\",\"protocol\":1,\"token\":\"" + token
                        + "\",\"device\":{\"name\":\"bench\",\"os\":\"Linux\",\"appVersion\":\"bench\"}}"));
            }
            // Socket.IO: the server speaks first (Engine.IO open packet "0{...}")
        }

        @Override
        public void text(WsLoop.Conn c, byte[] a, int off, int len) {
            if (target == Target.PARLEY) {
                parleyFrame(this, a, off, len);
            } else {
                socketIoFrame(this, a, off, len);
            }
        }

        @Override
        public void closed(WsLoop.Conn c, String reason) {
            if (ready) {
                disconnects++;
                totalDisconnects++;
            } else if (failure == null) {
                failure = reason;
            }
            if (firstFailure == null) {
                firstFailure = username + ": " + reason;
            }
            if (pair != null) {
                // nobody answers on a closed connection: the pair stops instead of losing every later offer
                pairCallEnded(pair, username + "'s connection closed: " + reason);
            }
        }

        void markConnected() {
            connected = true;
            connectHist.recordValue(Math.max(1, (System.nanoTime() - connectStart) / 1000));
            if (needsJoin) {
                conn.sendText(Bytes.ascii("42" + (RID_PHASE * 0 + index) + "[\"join\",\"" + room + "\"]"));
            } else {
                ready = true;
            }
        }
    }

    private List<Client> clients = new ArrayList<>();
    private final Histogram connectHist = newHist();
    private int totalDisconnects;
    private String firstFailure;
    private String firstError;
    private long presenceFrames;

    static Histogram newHist() {
        return new Histogram(120_000_000L, 3);
    }

    private void parleyFrame(Client c, byte[] a, int off, int len) {
        if (Bytes.startsWith(a, off, len, P_EVENT)) {
            delivery(c, a, off, len);
        } else if (Bytes.startsWith(a, off, len, P_ACK)) {
            int r = Bytes.indexOf(a, off, len, RID);
            if (r >= 0) {
                ack(Bytes.number(a, r + RID.length, off + len), true);
            }
        } else if (Bytes.startsWith(a, off, len, P_ERROR)) {
            int r = Bytes.indexOf(a, off, len, RID);
            if (firstError == null) {
                firstError = new String(a, off, Math.min(len, 300), java.nio.charset.StandardCharsets.UTF_8);
            }
            if (r >= 0) {
                long rid = Bytes.number(a, r + RID.length, off + len);
                if (rid >= 0 && rid == historyRid) {
                    historyErrors++;
                    historyRid = -1;
                } else {
                    ack(rid, false);
                }
            }
        } else if (Bytes.startsWith(a, off, len, P_WELCOME)) {
            if (!c.connected) {
                c.markConnected();
            }
        } else if (Bytes.startsWith(a, off, len, P_CALL_SIGNAL)) {
            roundTripFrame(c, Bytes.indexOf(a, off, len, KIND_ANSWER) >= 0, signalSeq(a, off, len));
        } else if (Bytes.startsWith(a, off, len, P_CALL_RING)) {
            callRing(c, Bytes.textAfter(a, off, len, CALL_ID));
        } else if (Bytes.startsWith(a, off, len, P_CALL_ACCEPTED)) {
            callAccepted(c, Bytes.textAfter(a, off, len, CALL_ID));
        } else if (Bytes.startsWith(a, off, len, P_CALL_ENDED)) {
            callEnded(c, new String(a, off, Math.min(len, 300), java.nio.charset.StandardCharsets.UTF_8));
        } else if (Bytes.startsWith(a, off, len, P_EVENTS)) {
            int r = Bytes.indexOf(a, off, len, RID);
            if (r >= 0 && Bytes.number(a, r + RID.length, off + len) == historyRid) {
                historyReplyBytes = len;
                historyRid = -1;
            }
        } else {
            presenceFrames++;
        }
    }

    private void socketIoFrame(Client c, byte[] a, int off, int len) {
        byte first = a[off];
        if (first == '2' && len == 1) {
            c.conn.sendText(PONG);
        } else if (first == '0') {
            c.conn.sendText(Bytes.ascii("40{\"token\":\"" + c.username + "\"}"));
        } else if (first == '4' && len >= 2) {
            byte second = a[off + 1];
            if (second == '2') {
                if (Bytes.startsWith(a, off, len, S_MESSAGE)) {
                    delivery(c, a, off, len);
                } else if (Bytes.startsWith(a, off, len, S_SIGNAL)) {
                    roundTripFrame(c, Bytes.indexOf(a, off, len, ANSWER) >= 0, signalSeq(a, off, len));
                } else if (Bytes.startsWith(a, off, len, S_JOINED)) {
                    presenceFrames++;
                }
            } else if (second == '3') {
                long id = Bytes.number(a, off + 2, off + len);
                boolean ok = Bytes.indexOf(a, off, len, S_OK) >= 0;
                if (id >= 0 && id < RID_PHASE) {
                    if (ok) {
                        c.ready = true;
                    } else {
                        c.failure = "join refused";
                    }
                } else {
                    ack(id, ok);
                }
            } else if (second == '0') {
                if (!c.connected) {
                    c.markConnected();
                }
            } else if (second == '4') {
                c.failure = "connect refused: " + new String(a, off, Math.min(len, 200));
                c.conn.closeQuietly();
            }
        }
    }

    /** Opens every client (bounded concurrency) until all are ready or failed, or the deadline passes. */
    private Map<String, Object> connectAll(int concurrency) {
        return connect(0, clients.size(), concurrency);
    }

    /** Connects clients [from, to), at most {@code concurrency} handshakes in flight. */
    private Map<String, Object> connect(int from, int to, int concurrency) {
        long t0 = System.nanoTime();
        int[] next = {from};
        long deadline = t0 + TimeUnit.SECONDS.toNanos(args.integer("connect-timeout-s", 180));
        String path = target == Target.PARLEY ? "/ws" : "/socket.io/?EIO=4&transport=websocket";
        loop.run(() -> settled(from, to) == to - from, deadline, () -> {
            int inflight = 0;
            for (int i = Math.max(from, next[0] - concurrency * 4); i < next[0]; i++) {
                Client c = clients.get(i);
                if (!c.ready && c.failure == null) {
                    inflight++;
                }
            }
            while (inflight < concurrency && next[0] < to) {
                Client c = clients.get(next[0]++);
                c.connectStart = System.nanoTime();
                c.conn = loop.connect(path, c);
                inflight++;
            }
            keepAlive();
        }, 5);
        double allS = (System.nanoTime() - t0) / 1e9;
        List<Client> range = clients.subList(from, to);
        long failed = range.stream().filter(c -> !c.ready).count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clients", to - from);
        m.put("allConnectedS", round(allS, 2));
        m.put("perSec", round((to - from) / allS, 1));
        m.put("errors", failed);
        if (failed > 0) {
            m.put("firstFailure", range.stream().filter(c -> !c.ready).map(c -> c.username + ": " + c.failure)
                    .findFirst().orElse(""));
        }
        m.put("handshakeMs", summary(connectHist));
        return m;
    }

    private int settled(int from, int to) {
        int n = 0;
        for (Client c : clients.subList(from, to)) {
            if (c.ready || c.failure != null) {
                n++;
            }
        }
        return n;
    }

    private int pingCursor;

    /** Parley clients ping as the real app does (the relay closes connections silent for its idle timeout). */
    private void keepAlive() {
        if (target != Target.PARLEY || clients.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (int k = 0; k < 16; k++) {
            Client c = clients.get(pingCursor);
            pingCursor = (pingCursor + 1) % clients.size();
            if (c.ready && now - c.lastPingNanos > 15 * NS) {
                if (c.lastPingNanos != 0) {
                    c.conn.sendText(Bytes.ascii("{\"type\":\"ping\",\"nonce\":\"k\"}"));
                }
                c.lastPingNanos = now - (long) (Math.random() * 5 * NS);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ setup

    /** Creates the clients: C users, client i in room i % R (Parley: accounts and one group per room via REST). */
    private Map<String, Object> setupRooms(int count, int rooms, boolean roomsByBlock, int membersPerRoom) {
        String prefix = args.str("user-prefix", "user");
        String roomPrefix = args.str("room-prefix", "room-");
        int roomOffset = args.integer("room-offset", 0);
        Map<String, Object> setup = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        clients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Client c = new Client(i, prefix + i);
            c.roomIndex = roomsByBlock ? i / membersPerRoom : i % rooms;
            c.room = roomPrefix + (c.roomIndex + roomOffset);
            c.needsJoin = target == Target.PEER && rooms > 0;
            c.lastFromSender = new int[0];
            clients.add(c);
        }
        if (target == Target.PARLEY) {
            ParleyRest rest = new ParleyRest(port);
            List<ParleyRest.User> users = rest.register(prefix, count, args.integer("register-parallel", 8));
            for (int i = 0; i < count; i++) {
                clients.get(i).userId = users.get(i).id();
                clients.get(i).token = users.get(i).token();
            }
            setup.put("registerS", round((System.nanoTime() - t0) / 1e9, 2));
            long t1 = System.nanoTime();
            int roomCount = roomsByBlock ? (count + membersPerRoom - 1) / membersPerRoom : rooms;
            for (int r = 0; r < roomCount; r++) {
                List<ParleyRest.User> members = new ArrayList<>();
                for (Client c : clients) {
                    if (c.roomIndex == r) {
                        members.add(users.get(c.index));
                    }
                }
                long conv = rest.createConversation(members.getFirst(), "group", roomPrefix + (r + roomOffset), members);
                for (Client c : clients) {
                    if (c.roomIndex == r) {
                        c.conv = conv;
                    }
                }
            }
            setup.put("roomsS", round((System.nanoTime() - t1) / 1e9, 2));
        }
        return setup;
    }

    // ------------------------------------------------------------------------------------------------ chat

    private final class Sender {
        final int j;
        final Client client;
        final int roomIndex;

        Sender(int j, Client client) {
            this.j = j;
            this.client = client;
            this.roomIndex = client.roomIndex;
        }
    }

    private List<Sender> senders;
    /** Results reported besides the main one (the chat window a quick knee run starts with). */
    final List<Map<String, Object>> extraResults = new ArrayList<>();
    private int phase;
    private boolean counting;
    private long[] sendNanos = new long[0];
    private int[] recvCount = new int[0];
    private int[] senderOf = new int[0];
    private int msgCount;
    private long received;
    private long echoes;
    private long dupOrReordered;
    private long acked;
    private long ackErrors;
    private long stale;
    private Histogram e2e = newHist();
    private Histogram ackHist = newHist();
    private Histogram lag = newHist();
    private int perRoom;

    private void delivery(Client c, byte[] a, int off, int len) {
        int t = Bytes.indexOf(a, off, len, TEXT);
        if (t < 0) {
            return;
        }
        int end = off + len;
        int p = t + TEXT.length;
        long ph = Bytes.number(a, p, end);
        p = Bytes.skipNumber(a, p, end) + 1;
        long idx = Bytes.number(a, p, end);
        if (ph != phase || idx < 0 || idx >= msgCount) {
            stale++;
            return;
        }
        int i = (int) idx;
        int sender = senderOf[i];
        if (senders.get(sender).client == c) {
            echoes++; // the peer echoes a message to its sender; Parley acks the sender instead
            return;
        }
        if (i <= c.lastFromSender[sender]) {
            dupOrReordered++;
        }
        c.lastFromSender[sender] = i;
        recvCount[i]++;
        if (counting) {
            received++;
            e2e.recordValue(Math.max(1, (System.nanoTime() - sendNanos[i]) / 1000));
        }
    }

    private void ack(long rid, boolean ok) {
        if (rid < 0 || rid / RID_PHASE != phase) {
            return;
        }
        int i = (int) (rid % RID_PHASE);
        if (i >= msgCount) {
            return;
        }
        if (ok) {
            acked++;
            if (counting) {
                ackHist.recordValue(Math.max(1, (System.nanoTime() - sendNanos[i]) / 1000));
            }
        } else {
            ackErrors++;
        }
    }

    private void send(Sender s, StringBuilder sb, int msgBytes) {
        int i = msgCount++;
        long rid = phase * RID_PHASE + i;
        sb.setLength(0);
        int headStart = 0;
        if (target == Target.PARLEY) {
            sb.append("{\"type\":\"send\",\"rid\":\"").append(rid).append("\",\"conv\":").append(s.client.conv)
                    .append(",\"clientId\":\"").append(tag).append('-').append(rid).append("\",\"text\":\"");
        } else {
            sb.append("42").append(rid).append("[\"send-message\",{\"room\":\"").append(s.client.room)
                    .append("\",\"clientId\":\"").append(tag).append('-').append(rid).append("\",\"text\":\"");
        }
        headStart = sb.length();
        sb.append("B|").append(phase).append('|').append(i).append('|');
        while (sb.length() - headStart < msgBytes) {
            sb.append('x');
        }
        sb.append(target == Target.PARLEY ? "\"}" : "\"}]");
        byte[] frame = Bytes.ascii(sb.toString());
        senderOf[i] = s.j;
        sendNanos[i] = System.nanoTime();
        s.client.conn.sendText(frame);
    }

    /** One window at {@code rate} msg/s per sender; measured windows return their figures. */
    private Map<String, Object> window(double rate, double durationS, boolean measured) {
        int S = senders.size();
        phase++;
        int capacity = (int) Math.ceil(rate * durationS) * S + 4 * S + 16;
        sendNanos = new long[capacity];
        recvCount = new int[capacity];
        senderOf = new int[capacity];
        msgCount = 0;
        received = echoes = dupOrReordered = acked = ackErrors = stale = 0;
        for (Client c : clients) {
            c.lastFromSender = new int[S];
            Arrays.fill(c.lastFromSender, -1);
        }
        e2e.reset();
        ackHist.reset();
        lag.reset();
        counting = measured;
        int msgBytes = args.integer("msg-bytes", 100);
        long interval = (long) (NS / rate);
        long start = System.nanoTime() + 20_000_000L;
        long end = start + (long) (durationS * NS);
        long[] next = new long[S];
        for (int q = 0; q < S; q++) {
            next[q] = start + (long) ((double) q / S * interval);
        }
        int disconnectsBefore = totalDisconnects;
        StringBuilder sb = new StringBuilder(256);
        ProcStats.Window w = new ProcStats.Window(serverPid);
        long[] lastSample = {System.nanoTime()};
        boolean[] sending = {true};
        loop.run(() -> !sending[0], end + 10 * NS, () -> {
            long now = System.nanoTime();
            boolean done = true;
            for (int q = 0; q < S; q++) {
                Sender s = senders.get(q);
                while (next[q] <= now && next[q] < end && msgCount < sendNanos.length) {
                    if (measured) {
                        lag.recordValue(Math.max(1, (now - next[q]) / 1000));
                    }
                    if (!s.client.conn.closed) {
                        send(s, sb, msgBytes);
                    }
                    next[q] += interval;
                }
                if (next[q] < end) {
                    done = false;
                }
            }
            sending[0] = !done;
            if (now - lastSample[0] > 500_000_000L) {
                w.sample();
                lastSample[0] = now;
            }
            keepAlive();
        }, 1);
        long sendEnd = System.nanoTime();
        int sent = msgCount;
        long expected = (long) sent * (perRoom - 1);
        long drainDeadline = sendEnd + (long) (args.dbl("drain-s", 5) * NS);
        loop.run(() -> received >= expected && acked + ackErrors >= sent, drainDeadline, this::keepAlive, 5);
        double drainMs = (System.nanoTime() - sendEnd) / 1e6;
        ProcStats.Result stats = w.end();
        counting = false;
        if (!measured) {
            return null;
        }
        long lost = 0;
        long duplicated = 0;
        for (int i = 0; i < sent; i++) {
            int want = perRoom - 1;
            if (recvCount[i] < want) {
                lost += want - recvCount[i];
            } else if (recvCount[i] > want) {
                duplicated += recvCount[i] - want;
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ratePerSender", rate);
        r.put("senders", S);
        r.put("offeredMsgPerSec", round(rate * S, 1));
        r.put("durationS", durationS);
        r.put("sent", sent);
        r.put("acked", acked);
        r.put("ackErrors", ackErrors);
        r.put("sentPerSec", round(sent / durationS, 1));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("expected", expected);
        d.put("received", received);
        d.put("lost", lost);
        d.put("duplicated", duplicated);
        d.put("dupOrReordered", dupOrReordered);
        d.put("senderEchoes", echoes);
        d.put("perSec", round(received / durationS, 1));
        d.put("drainMs", round(drainMs, 1));
        r.put("deliveries", d);
        r.put("e2eMs", summary(e2e));
        r.put("ackMs", summary(ackHist));
        r.put("schedLagMs", summary(lag));
        r.put("disconnects", totalDisconnects - disconnectsBefore);
        putStats(r, stats, received);
        if (firstError != null) {
            r.put("firstError", firstError);
            firstError = null;
        }
        return r;
    }

    private void putStats(Map<String, Object> r, ProcStats.Result stats, long deliveries) {
        r.put("wallS", round(stats.wallS(), 2));
        r.put("serverCpuPct", round(stats.serverCpuPct(), 1));
        r.put("generatorCpuPct", round(stats.generatorCpuPct(), 1));
        r.put("machineBusyPct", round(stats.machineBusyPct(), 1));
        r.put("otherCpuPct", round(stats.otherCpuPct(), 1));
        r.put("serverRssPeakMB", round(stats.serverRssPeakKb() / 1024.0, 1));
        if (deliveries > 0) {
            r.put("serverCpuUsPerDelivery", round(stats.serverCpuS() * 1e6 / deliveries, 2));
            r.put("generatorCpuUsPerDelivery", round(stats.generatorCpuS() * 1e6 / deliveries, 2));
        }
    }

    private Map<String, Object> base(String mode) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", args.str("label", mode));
        m.put("target", target.name().toLowerCase());
        m.put("mode", mode);
        m.put("tag", tag);
        return m;
    }

    Map<String, Object> chat(boolean knee) {
        int C = args.integer("clients", 1000);
        int R = args.integer("rooms", 10);
        int S = args.integer("senders", 20);
        if (C % R != 0 || S > C) {
            throw new IllegalArgumentException("clients must be a multiple of rooms, senders <= clients");
        }
        perRoom = C / R;
        Map<String, Object> out = base(knee ? "knee" : "chat");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("clients", C);
        config.put("rooms", R);
        config.put("membersPerRoom", perRoom);
        config.put("senders", S);
        config.put("msgBytes", args.integer("msg-bytes", 100));
        out.put("config", config);
        out.put("setup", setupRooms(C, R, false, 0));
        long rssBefore = ProcStats.rssKb(serverPid);
        Map<String, Object> conn = connectAll(args.integer("connect-concurrency", 100));
        out.put("connect", conn);
        if (((Number) conn.get("errors")).longValue() > 0) {
            out.put("error", "connect errors: " + conn.get("errors") + " (" + conn.get("firstFailure") + ")");
            return out;
        }
        out.put("serverRssBeforeConnectMB", round(rssBefore / 1024.0, 1));
        out.put("serverRssAfterConnectMB", round(ProcStats.rssKb(serverPid) / 1024.0, 1));
        senders = new ArrayList<>();
        for (int j = 0; j < S; j++) {
            int r = j % R;
            int k = j / R;
            senders.add(new Sender(j, clients.get(r + k * R)));
        }
        barrier();
        if (!knee) {
            window(args.dbl("rate", 10), args.dbl("warmup", 2), false);
            Map<String, Object> r = window(args.dbl("rate", 10), args.dbl("duration", 20), true);
            out.put("result", r);
            out.put("_hist", Map.of("e2e", HistCodec.encode(e2e), "ack", HistCodec.encode(ackHist)));
            out.put("presenceFrames", presenceFrames);
            return out;
        }
        String chatLabel = args.str("chat-label", "");
        if (!chatLabel.isEmpty()) {
            // --quick: the chat scenario first, on the same connections, reported as its own result
            window(args.dbl("rate", 10), args.dbl("warmup", 2), false);
            Map<String, Object> chat = new LinkedHashMap<>(out);
            chat.put("label", chatLabel);
            chat.put("mode", "chat");
            chat.put("result", window(args.dbl("rate", 10), args.dbl("duration", 5), true));
            chat.put("presenceFrames", presenceFrames);
            extraResults.add(chat);
            idle(1);
        }
        double p99Limit = args.dbl("p99-limit-ms", 50);
        double stepS = args.dbl("step-duration", 10);
        long maxRunNanos = System.nanoTime() + (long) (args.dbl("max-knee-s", 300) * NS);
        List<Double> steps = Arrays.stream(args.str("steps", "10,20,40,60,80,100").split(","))
                .map(Double::parseDouble).toList();
        if (chatLabel.isEmpty()) {
            window(steps.getFirst(), 2, false);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, Object> kneeStep = null;
        Map<String, Object> firstFail = null;
        for (double rate : steps) {
            if (System.nanoTime() > maxRunNanos) {
                out.put("stoppedBy", "max-knee-s");
                break;
            }
            Map<String, Object> r = evaluate(window(rate, stepS, true), p99Limit);
            results.add(r);
            if (!(Boolean) r.get("pass") && args.integer("confirm", 1) > 0) {
                idle(2);
                r = evaluate(window(rate, stepS, true), p99Limit);
                r.put("retry", true);
                results.add(r);
            }
            if ((Boolean) r.get("pass")) {
                kneeStep = r;
            } else {
                firstFail = r;
                break;
            }
            idle(args.dbl("step-pause-s", 1));
        }
        out.put("p99LimitMs", p99Limit);
        out.put("knee", kneeStep);
        out.put("firstFail", firstFail);
        out.put("steps", results);
        return out;
    }

    private static Map<String, Object> evaluate(Map<String, Object> r, double p99Limit) {
        List<String> reasons = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> e2eMs = (Map<String, Object>) r.get("e2eMs");
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) r.get("deliveries");
        Object p99 = e2eMs.get("p99");
        if (p99 == null || ((Number) p99).doubleValue() > p99Limit) {
            reasons.add("p99 " + p99 + " ms > " + p99Limit);
        }
        if (((Number) d.get("lost")).longValue() > 0) {
            reasons.add("lost " + d.get("lost"));
        }
        if (((Number) d.get("duplicated")).longValue() > 0 || ((Number) d.get("dupOrReordered")).longValue() > 0) {
            reasons.add("duplicated/reordered " + d.get("duplicated") + "/" + d.get("dupOrReordered"));
        }
        if (((Number) r.get("ackErrors")).longValue() > 0) {
            reasons.add("ackErrors " + r.get("ackErrors"));
        }
        if (((Number) r.get("disconnects")).intValue() > 0) {
            reasons.add("disconnects " + r.get("disconnects"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> lagMs = (Map<String, Object>) r.get("schedLagMs");
        if (lagMs.get("p99") instanceof Number n && n.doubleValue() > 10) {
            reasons.add("generator behind schedule (lag p99 " + n + " ms)");
        }
        r.put("pass", reasons.isEmpty());
        if (!reasons.isEmpty()) {
            r.put("failReasons", reasons);
        }
        return r;
    }

    /** Keeps the connections served (pings answered) while waiting. */
    private void idle(double seconds) {
        loop.run(() -> false, System.nanoTime() + (long) (seconds * NS), this::keepAlive, 20);
    }

    /** Multi-process start: every generator writes a ready file and waits for the others (bounded). */
    private void barrier() {
        String dir = args.str("barrier-dir", "");
        int procs = args.integer("procs", 1);
        if (dir.isEmpty() || procs <= 1) {
            return;
        }
        try {
            Files.writeString(Path.of(dir, tag + ".ready"), "ready");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long[] lastCheck = {0};
        boolean[] all = {false};
        loop.run(() -> all[0], System.nanoTime() + 120 * NS, () -> {
            long now = System.nanoTime();
            if (now - lastCheck[0] > 5_000_000L) {
                lastCheck[0] = now;
                try (var s = Files.list(Path.of(dir))) {
                    all[0] = s.filter(p -> p.toString().endsWith(".ready")).count() >= procs;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            keepAlive();
        }, 2);
    }

    // ------------------------------------------------------------------------------------------------ idle

    Map<String, Object> idleMode() {
        int C = args.integer("clients", 2000);
        int M = args.integer("members", 100);
        Map<String, Object> out = base("idle");
        out.put("config", Map.of("clients", C, "membersPerRoom", M, "settleS", args.dbl("settle", 10)));
        out.put("setup", setupRooms(C, (C + M - 1) / M, true, M));
        // The "before" figure is taken after the same settling time as the "after" one: both are the server at rest,
        // not one of them still holding the garbage of registering the users.
        idle(args.dbl("settle", 10));
        boolean gcProbe = target == Target.PARLEY && args.bool("jvm-gc-probe", true);
        long before = ProcStats.rssKb(serverPid);
        long beforeGc = gcProbe ? rssAfterGc() : -1;
        ProcStats.Window w = new ProcStats.Window(serverPid);
        // Two halves, each followed by the settling time: the second half's growth is the marginal cost of an idle
        // connection, free of one-time costs the first connections trigger (code compiled for the handshake path,
        // pools and caches filled), which a server pays once however many clients it holds.
        int concurrency = args.integer("connect-concurrency", 100);
        int half = C / 2;
        Map<String, Object> firstHalf = connect(0, half, concurrency);
        idle(args.dbl("settle", 10));
        long atHalf = ProcStats.rssKb(serverPid);
        Map<String, Object> conn = connect(half, C, concurrency);
        conn.put("firstHalf", firstHalf);
        out.put("connect", conn);
        long after = ProcStats.rssKb(serverPid);
        idle(args.dbl("settle", 10));
        long settled = ProcStats.rssKb(serverPid);
        ProcStats.Result stats = w.end();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("rssBeforeConnectMB", round(before / 1024.0, 1));
        s.put("rssAtHalfMB", round(atHalf / 1024.0, 1));
        s.put("rssAfterConnectMB", round(after / 1024.0, 1));
        s.put("rssSettledMB", round(settled / 1024.0, 1));
        s.put("rssPerConnKB_settled", round((settled - before) / (double) C, 1));
        s.put("rssPerConnKB_marginal", round((settled - atHalf) / (double) (C - half), 1));
        if (gcProbe) {
            long afterGc = rssAfterGc();
            s.put("rssBeforeConnectAfterGcMB", round(beforeGc / 1024.0, 1));
            s.put("rssSettledAfterGcMB", round(afterGc / 1024.0, 1));
            s.put("rssPerConnKB_afterGc", round((afterGc - beforeGc) / (double) C, 1));
        }
        s.put("connectAndSettleServerCpuS", round(stats.serverCpuS(), 2));
        s.put("machineBusyPct", round(stats.machineBusyPct(), 1));
        out.put("server", s);
        out.put("disconnects", totalDisconnects);
        out.put("presenceFrames", presenceFrames);
        return out;
    }

    /** Runs a full GC in the relay (jcmd GC.run) and returns its RSS afterwards: the JVM's live footprint. */
    private long rssAfterGc() {
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            Process p = new ProcessBuilder(jcmd, Long.toString(serverPid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        idle(1);
        return ProcStats.rssKb(serverPid);
    }

    // ------------------------------------------------------------------------------------------------ round trips

    private final class Pair {
        final Client a;
        final Client b;
        int n;
        /** The number of the offer in flight, carried in its SDP and echoed by the answer. */
        long seq;
        long t0;
        boolean waiting;
        long deadline;
        /** Parley: the answered call the pair signals in (set on both sides once the caller sees it accepted). */
        String callId;
        boolean answered;
        /** The call ended before it was answered (busy, unavailable, a lost connection): set-up failed. */
        boolean setupEnded;
        long inviteNanos;

        Pair(Client a, Client b) {
            this.a = a;
            this.b = b;
        }
    }

    private List<Pair> pairs;
    private final Histogram forward = newHist();
    private final Histogram roundTrip = newHist();
    private final Histogram callSetup = newHist();
    private long roundTrips;
    private long lostSignals;
    private long callsEnded;
    private long staleSignals;
    private String firstCallEnd;
    private String sdp;

    /**
     * A relayed offer or answer. Only the one carrying the number of the pair's offer in flight counts: an answer
     * that comes back after its offer was given up as lost (or after the warm-up) must not be timed against the next.
     */
    private void roundTripFrame(Client c, boolean isAnswer, long seq) {
        Pair p = c.pair;
        if (p == null || !p.waiting || seq != p.seq) {
            if (p != null) {
                staleSignals++;
            }
            return;
        }
        long now = System.nanoTime();
        if (c == p.b && !isAnswer) {
            forward.recordValue(Math.max(1, (now - p.t0) / 1000));
            signal(p.b, "answer");
        } else if (c == p.a && isAnswer) {
            roundTrip.recordValue(Math.max(1, (now - p.t0) / 1000));
            roundTrips++;
            p.waiting = false;
        }
    }

    /** The offer number in a relayed SDP ("v=0 o=- N ..."), or -1. */
    private static long signalSeq(byte[] a, int off, int len) {
        int at = Bytes.indexOf(a, off, len, SDP_SEQ);
        return at < 0 ? -1 : Bytes.number(a, at + SDP_SEQ.length, off + len);
    }

    /** Parley: the callee's ring; it answers at once, as a person who had the app open would. */
    private void callRing(Client c, String callId) {
        if (c.pair != null && c == c.pair.b && callId != null) {
            c.conn.sendText(Bytes.ascii("{\"type\":\"call_accept\",\"rid\":\"accept-" + c.index
                    + "\",\"callId\":\"" + callId + "\"}"));
        }
    }

    private void callAccepted(Client c, String callId) {
        Pair p = c.pair;
        if (p != null && c == p.a && callId != null) {
            p.callId = callId;
            p.answered = true;
            callSetup.recordValue(Math.max(1, (System.nanoTime() - p.inviteNanos) / 1000));
        }
    }

    /** A call that ends during the run (busy, unavailable, a lost connection) loses the pair's later signals. */
    private void callEnded(Client c, String frame) {
        if (c.pair != null && c == c.pair.a) {
            pairCallEnded(c.pair, frame);
        }
    }

    /** Counted once per call, whichever comes first: the caller's call_ended or a closed connection. */
    private void pairCallEnded(Pair p, String why) {
        if (p.answered) {
            p.answered = false;
            callsEnded++;
        } else if (p.callId == null) {
            p.setupEnded = true;
        }
        if (firstCallEnd == null) {
            firstCallEnd = why;
        }
    }

    private void signal(Client from, String kind) {
        String numbered = sdpOf(from.pair.seq);
        if (target == Target.PARLEY) {
            from.conn.sendText(Bytes.ascii("{\"type\":\"call_signal\",\"callId\":\"" + from.pair.callId
                    + "\",\"signal\":{\"kind\":\"" + kind + "\",\"sdp\":\"" + numbered + "\"}}"));
        } else {
            Client to = from == from.pair.a ? from.pair.b : from.pair.a;
            from.conn.sendText(Bytes.ascii("42[\"webrtc-signal\",{\"target\":\"" + to.username
                    + "\",\"signal\":{\"type\":\"" + kind + "\",\"sdp\":\"" + numbered + "\"}}]"));
        }
    }

    /** An SDP of the configured size whose origin line carries the offer's number. */
    private String sdpOf(long seq) {
        String head = "v=0 o=- " + seq + " 0 IN IP4 127.0.0.1 ";
        return head + sdp.substring(Math.min(head.length(), sdp.length()));
    }

    /**
     * Parley relays call signaling only inside an answered call (CallService), so each pair first makes one: the
     * first user invites the second in their DM and the second accepts. Not part of the measured round trips.
     */
    private Map<String, Object> startCalls() {
        long t0 = System.nanoTime();
        for (Pair p : pairs) {
            p.inviteNanos = System.nanoTime();
            p.a.conn.sendText(Bytes.ascii("{\"type\":\"call_invite\",\"rid\":\"invite-" + p.a.index
                    + "\",\"conv\":" + p.a.conv + ",\"media\":\"audio\"}"));
        }
        long deadline = t0 + TimeUnit.SECONDS.toNanos(args.integer("call-setup-timeout-s", 30));
        loop.run(() -> pairs.stream().allMatch(p -> p.answered || p.setupEnded), deadline, this::keepAlive, 5);
        long unanswered = pairs.stream().filter(p -> !p.answered).count();
        if (unanswered > 0) {
            throw new IllegalStateException(unanswered + " of " + pairs.size() + " calls were not answered: "
                    + (firstError != null ? firstError : firstCallEnd != null ? firstCallEnd : "no answer in time"));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calls", pairs.size());
        m.put("allAnsweredS", round((System.nanoTime() - t0) / 1e9, 2));
        m.put("inviteToAcceptedMs", summary(callSetup));
        return m;
    }

    /**
     * Each pair sends an offer and waits for the answer, {@code perPair} times or until {@code stopAt} (no new offer
     * after it; the ones in flight are waited for); an answer not back within 5 s counts as lost.
     */
    private void exchange(int perPair, long stopAt, double maxS) {
        int[] finished = {0};
        loop.run(() -> finished[0] == pairs.size(), System.nanoTime() + (long) (maxS * NS), () -> {
            long now = System.nanoTime();
            int done = 0;
            for (Pair p : pairs) {
                if (p.waiting && now > p.deadline) {
                    lostSignals++;
                    p.waiting = false;
                }
                if (!p.waiting) {
                    // a Parley call that ended has nobody to signal: its pair stops (callsEndedEarly says so)
                    if (p.n >= perPair || now >= stopAt || (target == Target.PARLEY && !p.answered)) {
                        done++;
                        continue;
                    }
                    p.n++;
                    p.seq++;
                    p.waiting = true;
                    p.t0 = now;
                    p.deadline = now + 5 * NS;
                    signal(p.a, "offer");
                }
            }
            finished[0] = done;
            keepAlive();
        }, 1);
    }

    Map<String, Object> roundTrips() {
        int P = args.integer("pairs", 1);
        int K = args.integer("round-trips", 200);
        int sdpBytes = args.integer("sdp-bytes", 1024);
        sdp = "a=x".repeat(sdpBytes / 3 + 1).substring(0, sdpBytes);
        Map<String, Object> out = base("signal");
        out.put("config", Map.of("pairs", P, "roundTripsPerPair", K, "payload", sdpBytes + " B SDP",
                "frame", target == Target.PARLEY ? "call_signal in an answered call" : "webrtc-signal"));
        String prefix = args.str("user-prefix", "pair");
        clients = new ArrayList<>();
        for (int i = 0; i < 2 * P; i++) {
            clients.add(new Client(i, prefix + i));
        }
        if (target == Target.PARLEY) {
            ParleyRest rest = new ParleyRest(port);
            List<ParleyRest.User> users = rest.register(prefix, 2 * P, args.integer("register-parallel", 8));
            for (int i = 0; i < 2 * P; i++) {
                clients.get(i).userId = users.get(i).id();
                clients.get(i).token = users.get(i).token();
            }
            for (int p = 0; p < P; p++) {
                long dm = rest.createConversation(users.get(2 * p), "dm", null, List.of(users.get(2 * p + 1)));
                clients.get(2 * p).conv = dm;
                clients.get(2 * p + 1).conv = dm;
            }
        }
        Map<String, Object> conn = connectAll(args.integer("connect-concurrency", 100));
        out.put("connect", conn);
        if (((Number) conn.get("errors")).longValue() > 0) {
            out.put("error", "connect errors: " + conn.get("errors") + " (" + conn.get("firstFailure") + ")");
            return out;
        }
        pairs = new ArrayList<>();
        for (int p = 0; p < P; p++) {
            Pair pair = new Pair(clients.get(2 * p), clients.get(2 * p + 1));
            pair.a.pair = pair;
            pair.b.pair = pair;
            pairs.add(pair);
        }
        if (target == Target.PARLEY) {
            out.put("callSetup", startCalls());
        }
        double maxS = args.dbl("max-s", 120);
        double warmupS = args.dbl("warmup-seconds", 0);
        if (warmupS > 0) {
            // the same exchanges, unmeasured, so both servers are measured compiled (as the chat scenario is)
            exchange(Integer.MAX_VALUE, System.nanoTime() + (long) (warmupS * NS), maxS);
            out.put("warmup", Map.of("seconds", warmupS, "roundTrips", roundTrips, "lost", lostSignals));
            out.put("warmupCallsEnded", callsEnded);
            roundTrips = 0;
            lostSignals = 0;
            callsEnded = 0;
            staleSignals = 0;
            forward.reset();
            roundTrip.reset();
            // an offer still in flight when the warm-up's time ran out is dropped; its answer will not match
            pairs.forEach(p -> {
                p.n = 0;
                p.waiting = false;
            });
        }
        ProcStats.Window w = new ProcStats.Window(serverPid);
        long t0 = System.nanoTime();
        exchange(K, Long.MAX_VALUE, maxS);
        double wallS = (System.nanoTime() - t0) / 1e9;
        ProcStats.Result stats = w.end();
        out.put("roundTrips", roundTrips);
        out.put("lost", lostSignals);
        out.put("callsEndedEarly", callsEnded);
        out.put("staleSignals", staleSignals);
        if (firstError != null) {
            out.put("firstError", firstError);
        }
        out.put("roundTripsPerSec", round(roundTrips / wallS, 1));
        out.put("forwardMs", summary(forward));
        out.put("roundTripMs", summary(roundTrip));
        Map<String, Object> s = new LinkedHashMap<>();
        putStats(s, stats, 2 * roundTrips);
        out.put("stats", s);
        return out;
    }

    // ------------------------------------------------------------------------------------------------ history (WS)

    private long historyRid = -1;
    private long historyLastRid;
    private int historyReplyBytes;
    private int historyErrors;

    /**
     * Parley only: history pages over the app's own path, a {@code history} request on the signed-in WebSocket,
     * one at a time (newest page, then pages at random positions). No HTTP, no per-request sign-in check.
     */
    Map<String, Object> wsHistory() {
        ParleyRest.User user = new ParleyRest(port).login(args.str("user", "hist0"));
        long conv = args.lng("conv", 1);
        long stored = args.lng("stored", 0);
        int limit = args.integer("limit", 50);
        int requests = args.integer("requests", 2000);
        int warmup = args.integer("warmup-requests", 2000);
        Client c = new Client(0, user.username());
        c.token = user.token();
        clients = new ArrayList<>(List.of(c));
        Map<String, Object> out = base("ws-history");
        out.put("storedMessages", stored);
        out.put("limit", limit);
        out.put("connect", connectAll(1));
        double warmupSeconds = args.dbl("warmup-seconds", 0);
        java.util.Random random = new java.util.Random(42);
        for (String kind : List.of("newestPage", "randomPage")) {
            Histogram h = newHist();
            boolean newest = kind.equals("newestPage");
            java.util.function.LongSupplier before = () -> newest || stored <= limit ? -1
                    : limit + 1 + (long) (random.nextDouble() * (stored - limit));
            int timeouts = 0;
            historyErrors = 0;
            // Warm-up first, unmeasured, as in History (a duration for the first window only, for the same reason)
            long warmUntil = System.nanoTime() + (newest ? (long) (warmupSeconds * 1e9) : 0);
            int warmed = 0;
            while (warmed < warmup || System.nanoTime() < warmUntil) {
                warmed++;
                if (historyRoundTrip(c, conv, limit, before.getAsLong()) < 0) {
                    timeouts++;
                }
            }
            for (int i = 0; i < requests; i++) {
                long nanos = historyRoundTrip(c, conv, limit, before.getAsLong());
                if (nanos < 0) {
                    timeouts++;
                } else if (historyErrors == 0) {
                    h.recordValue(Math.max(1, nanos / 1000));
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", requests);
            m.put("warmupRequests", warmed);
            m.put("warmupSeconds", newest ? warmupSeconds : 0);
            m.put("timeouts", timeouts);
            m.put("errors", historyErrors);
            m.put("replyBytes", historyReplyBytes);
            m.put("latencyMs", summary(h));
            out.put(kind, m);
        }
        return out;
    }

    /** One history request on the signed-in socket; its round trip in ns, or -1 when no reply came within 10 s. */
    private long historyRoundTrip(Client c, long conv, int limit, long before) {
        long rid = ++historyLastRid;
        byte[] request = Bytes.ascii("{\"type\":\"history\",\"rid\":\"" + rid + "\",\"conv\":" + conv
                + ",\"limit\":" + limit + (before < 0 ? "" : ",\"before\":" + before) + "}");
        historyRid = rid;
        long t0 = System.nanoTime();
        c.conn.sendText(request);
        loop.run(() -> historyRid < 0, t0 + 10 * NS, this::keepAlive, 1);
        return historyRid < 0 ? System.nanoTime() - t0 : -1;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static Map<String, Object> summary(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return m;
        }
        m.put("mean", round(h.getMean() / 1000, 3));
        m.put("p50", round(h.getValueAtPercentile(50) / 1000.0, 3));
        m.put("p90", round(h.getValueAtPercentile(90) / 1000.0, 3));
        m.put("p99", round(h.getValueAtPercentile(99) / 1000.0, 3));
        m.put("p999", round(h.getValueAtPercentile(99.9) / 1000.0, 3));
        m.put("max", round(h.getMaxValue() / 1000.0, 3));
        return m;
    }

    static double round(double x, int digits) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return -1;
        }
        double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }

    void close() {
        loop.close();
    }
}
