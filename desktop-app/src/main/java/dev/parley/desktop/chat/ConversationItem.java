package dev.parley.desktop.chat;

import dev.parley.protocol.ConversationKind;
import dev.parley.protocol.LogEvent;
import dev.parley.protocol.PresenceStatus;

/**
 * One entry of the conversation list. {@code peer} is the other person of a DM (0 otherwise) and {@code presence}
 * their status; {@code lastSenderName} is null for own messages.
 */
public record ConversationItem(long id, ConversationKind kind, String title, long peer, PresenceStatus presence,
                               long unread, LogEvent lastMessage, String lastSenderName, long lastActivity,
                               boolean member, boolean muted) {
}
