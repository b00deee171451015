package dev.parley.relay.call;

import dev.parley.protocol.CallEndReason;
import dev.parley.protocol.CallMedia;
import dev.parley.protocol.CallOutcome;
import dev.parley.protocol.CallRecord;
import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerMessage;
import dev.parley.protocol.Signal;
import dev.parley.relay.RelayException;
import dev.parley.relay.chat.ChatStore;
import dev.parley.relay.chat.ConversationRecord;
import dev.parley.relay.chat.Fanout;
import dev.parley.relay.chat.MemberDirectory;
import dev.parley.relay.connection.Broadcaster;
import dev.parley.relay.connection.ClientConnection;
import dev.parley.relay.connection.ConnectionRegistry;
import dev.parley.relay.connection.OutboundFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The call state machine: invite rings every device of the callee; the first device to accept takes the call and
 * the others stop ringing; decline, busy, cancel, no answer, hang-up and a lost connection each end it on every
 * device involved. Signaling is forwarded only between the two connections of an answered call. Each call leaves a
 * {@code call} event in its DM's log. Calls are rare, so one lock guards all of them.
 */
public final class CallService {
    private static final Logger LOG = LoggerFactory.getLogger(CallService.class);
    /** 0.5, 1, 2, 4, 8 s between attempts: half a minute for a storage backlog to clear. */
    private static final Duration CALL_LOG_RETRY = Duration.ofMillis(500);
    private static final int CALL_LOG_ATTEMPTS = 6;

    private final ChatStore chats;
    private final MemberDirectory members;
    private final Fanout fanout;
    private final ConnectionRegistry connections;
    private final Broadcaster broadcaster;
    private final ScheduledExecutorService timers;
    private final Duration ringTime;
    private final Clock clock;
    private final Duration logRetry;
    private final Map<String, Call> calls = new HashMap<>();
    private final Map<Long, Call> callOfUser = new HashMap<>();

    public CallService(ChatStore chats, MemberDirectory members, Fanout fanout, ConnectionRegistry connections,
                       Broadcaster broadcaster, ScheduledExecutorService timers, Duration ringTime, Clock clock) {
        this(chats, members, fanout, connections, broadcaster, timers, ringTime, clock, CALL_LOG_RETRY);
    }

    /** {@code logRetry}: the first wait before writing a refused call notice again, doubled each time. */
    CallService(ChatStore chats, MemberDirectory members, Fanout fanout, ConnectionRegistry connections,
                Broadcaster broadcaster, ScheduledExecutorService timers, Duration ringTime, Clock clock,
                Duration logRetry) {
        this.chats = chats;
        this.members = members;
        this.fanout = fanout;
        this.connections = connections;
        this.broadcaster = broadcaster;
        this.timers = timers;
        this.ringTime = ringTime;
        this.clock = clock;
        this.logRetry = logRetry;
    }

    private enum State { RINGING, ACTIVE }

    private static final class Call {
        final String id;
        final long conv;
        final long caller;
        final long callee;
        final CallMedia media;
        final ClientConnection callerConnection;
        final long startedAt;
        ClientConnection calleeConnection;
        State state = State.RINGING;
        long answeredAt;
        ScheduledFuture<?> ringTimeout;

        Call(String id, long conv, long caller, long callee, CallMedia media, ClientConnection callerConnection,
             long startedAt) {
            this.id = id;
            this.conv = conv;
            this.caller = caller;
            this.callee = callee;
            this.media = media;
            this.callerConnection = callerConnection;
            this.startedAt = startedAt;
        }

        boolean involves(ClientConnection connection) {
            return connection == callerConnection || connection == calleeConnection;
        }
    }

    /**
     * Starts a call in DM {@code conv} and acknowledges request {@code rid} with the call id before anything else
     * about the call reaches the caller. A busy or unreachable callee ends the call at once.
     */
    public synchronized String invite(ClientConnection from, String rid, long conv, CallMedia media) {
        ConversationRecord c = chats.conversation(conv)
                .orElseThrow(() -> RelayException.notFound("conversation " + conv));
        if (c.kind() != ConversationKind.DM) {
            throw RelayException.forbidden("calls are one to one: start them in a DM");
        }
        long caller = from.userId();
        if (!members.isMember(conv, caller)) {
            throw new RelayException(ErrorCode.NOT_MEMBER, "you are not a member of conversation " + conv);
        }
        long callee = members.members(conv).stream().filter(u -> u != caller).findFirst()
                .orElseThrow(() -> RelayException.forbidden("this DM has nobody to call"));
        if (callOfUser.containsKey(caller)) {
            throw new RelayException(ErrorCode.CONFLICT, "you are already in a call; hang up first");
        }
        Call call = new Call(UUID.randomUUID().toString(), conv, caller, callee, media, from, clock.millis());
        from.send(broadcaster.encode(new ServerMessage.Ack(rid, conv, null, call.startedAt, null, null, call.id)));
        if (callOfUser.containsKey(callee)) {
            end(call, CallEndReason.BUSY);
            return call.id;
        }
        if (!connections.isOnline(callee)) {
            end(call, CallEndReason.UNAVAILABLE);
            return call.id;
        }
        calls.put(call.id, call);
        callOfUser.put(caller, call);
        callOfUser.put(callee, call);
        broadcaster.sendToUsers(List.of(callee), new ServerMessage.CallRing(call.id, conv, caller, media), 0);
        call.ringTimeout = timers.schedule(() -> timeout(call.id), ringTime.toMillis(), TimeUnit.MILLISECONDS);
        return call.id;
    }

    public synchronized void accept(ClientConnection by, String callId) {
        Call call = ringingFor(by, callId);
        call.state = State.ACTIVE;
        call.calleeConnection = by;
        call.answeredAt = clock.millis();
        call.ringTimeout.cancel(false);
        call.callerConnection.send(broadcaster.encode(new ServerMessage.CallAccepted(call.id, call.conv)));
        OutboundFrame stopRinging = broadcaster.encode(new ServerMessage.CallEnded(call.id, call.conv,
                CallEndReason.ANSWERED_ELSEWHERE, null));
        for (ClientConnection device : connections.connectionsOf(call.callee)) {
            if (device != by) {
                device.send(stopRinging);
            }
        }
    }

    public synchronized void decline(ClientConnection by, String callId) {
        end(ringingFor(by, callId), CallEndReason.DECLINED);
    }

    public synchronized void hangup(ClientConnection by, String callId) {
        Call call = calls.get(callId);
        if (call == null || (by.userId() != call.caller && by.userId() != call.callee)) {
            throw RelayException.notFound("call " + callId);
        }
        if (call.state == State.RINGING) {
            end(call, by.userId() == call.caller ? CallEndReason.CANCELLED : CallEndReason.DECLINED);
        } else if (call.involves(by)) {
            end(call, CallEndReason.HUNG_UP);
        } else {
            throw RelayException.forbidden("this call was answered on another device");
        }
    }

    /** Forwards signaling to the other side of an answered call; nothing else may signal. */
    public synchronized void signal(ClientConnection from, String callId, Signal signal) {
        Call call = calls.get(callId);
        if (call == null || !call.involves(from)) {
            throw RelayException.notFound("call " + callId + " on this connection");
        }
        if (call.state != State.ACTIVE) {
            throw new RelayException(ErrorCode.CONFLICT, "the call has not been answered yet");
        }
        ClientConnection other = from == call.callerConnection ? call.calleeConnection : call.callerConnection;
        other.send(broadcaster.encode(new ServerMessage.CallSignal(call.id, from.userId(), signal)));
    }

    /** A connection went away: a call it was part of ends, as a cancel while ringing or a lost call once answered. */
    public synchronized void connectionClosed(ClientConnection connection) {
        for (Call call : new ArrayList<>(calls.values())) {
            if (call.involves(connection)) {
                end(call, call.state == State.RINGING ? CallEndReason.CANCELLED : CallEndReason.CONNECTION_LOST);
            }
        }
    }

    public synchronized int activeCalls() {
        return calls.size();
    }

    private Call ringingFor(ClientConnection by, String callId) {
        Call call = calls.get(callId);
        if (call == null || by.userId() != call.callee) {
            throw RelayException.notFound("call " + callId);
        }
        if (call.state != State.RINGING) {
            throw new RelayException(ErrorCode.CONFLICT, "the call was already answered");
        }
        return call;
    }

    private synchronized void timeout(String callId) {
        Call call = calls.get(callId);
        if (call != null && call.state == State.RINGING) {
            end(call, CallEndReason.NO_ANSWER);
        }
    }

    private void end(Call call, CallEndReason reason) {
        calls.remove(call.id);
        callOfUser.remove(call.caller, call);
        callOfUser.remove(call.callee, call);
        if (call.ringTimeout != null) {
            call.ringTimeout.cancel(false);
        }
        long now = clock.millis();
        Long duration = call.state == State.ACTIVE ? now - call.answeredAt : null;
        OutboundFrame ended = broadcaster.encode(new ServerMessage.CallEnded(call.id, call.conv, reason, duration));
        call.callerConnection.send(ended);
        if (call.state == State.ACTIVE) {
            call.calleeConnection.send(ended);
        } else if (reason != CallEndReason.BUSY && reason != CallEndReason.UNAVAILABLE) {
            connections.connectionsOf(call.callee).forEach(device -> device.send(ended));
        }
        CallRecord record = new CallRecord(call.id, call.media, outcome(call, reason), reason, call.startedAt,
                duration == null ? 0 : duration);
        logCall(call.conv, call.caller, record, now, 1);
    }

    /**
     * Writes the call's notice into its DM. Nobody waits for it, so a write the relay refuses for now (its storage
     * falling behind) is tried again later rather than lost from both people's history; a failed write is rolled
     * back, so trying again cannot log the call twice.
     */
    private void logCall(long conv, long caller, CallRecord record, long endedAt, int attempt) {
        chats.appendCallRecord(conv, caller, record, endedAt, fanout.from(0)).exceptionally(failure -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            boolean refusedForNow = cause instanceof RelayException e && e.code() == ErrorCode.UNAVAILABLE;
            if (!refusedForNow || attempt >= CALL_LOG_ATTEMPTS) {
                LOG.error("could not log call {} (attempt {})", record.id(), attempt, failure);
                return null;
            }
            long delay = logRetry.toMillis() << (attempt - 1);
            try {
                timers.schedule(() -> logCall(conv, caller, record, endedAt, attempt + 1), delay,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                LOG.error("could not log call {}: the relay is stopping", record.id(), failure);
            }
            return null;
        });
    }

    private static CallOutcome outcome(Call call, CallEndReason reason) {
        if (call.state == State.ACTIVE) {
            return CallOutcome.ANSWERED;
        }
        return switch (reason) {
            case DECLINED -> CallOutcome.DECLINED;
            case BUSY -> CallOutcome.BUSY;
            case CANCELLED, NO_ANSWER, UNAVAILABLE, CONNECTION_LOST, HUNG_UP, ANSWERED_ELSEWHERE -> CallOutcome.MISSED;
        };
    }
}
