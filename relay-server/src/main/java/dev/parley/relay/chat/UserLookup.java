package dev.parley.relay.chat;

import dev.parley.protocol.UserSummary;

import java.util.Collection;
import java.util.Map;

/** Users as others see them (with presence), for conversation summaries. */
public interface UserLookup {
    Map<Long, UserSummary> summaries(Collection<Long> userIds);
}
