package dev.parley.relay.chat;

import dev.parley.protocol.LogEvent;

import java.util.List;

/** Told about log events once they are durable, on the writer thread, in seq order. Must not block for long. */
@FunctionalInterface
public interface CommitListener {
    void committed(List<LogEvent> events);

    CommitListener NONE = events -> {
    };
}
