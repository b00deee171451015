package dev.parley.relay.chat;

import dev.parley.protocol.LogEvent;

/** A stored message; {@code duplicate} when its clientId had been stored before and nothing new was written. */
public record Appended(LogEvent event, boolean duplicate) {
}
