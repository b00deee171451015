package dev.parley.relay.presence;

import dev.parley.protocol.UserSummary;
import dev.parley.relay.account.Account;
import dev.parley.relay.account.AccountStore;
import dev.parley.relay.chat.UserLookup;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Users as other users see them: public profile plus live presence. Password hashes never leave this package. */
public final class UserDirectory implements UserLookup {
    private final AccountStore accounts;
    private final PresenceTracker presence;

    public UserDirectory(AccountStore accounts, PresenceTracker presence) {
        this.accounts = accounts;
        this.presence = presence;
    }

    public UserSummary summary(Account account) {
        return new UserSummary(account.id(), account.username(), account.displayName(),
                presence.statusOf(account.id()), presence.lastSeenOf(account.id(), account.lastSeen()));
    }

    @Override
    public Map<Long, UserSummary> summaries(Collection<Long> userIds) {
        Map<Long, UserSummary> result = new LinkedHashMap<>();
        for (Account account : accounts.findByIds(userIds)) {
            result.put(account.id(), summary(account));
        }
        return result;
    }

    public List<UserSummary> search(String query, int limit) {
        return accounts.search(query == null ? "" : query.strip(), limit).stream().map(this::summary).toList();
    }
}
