package dev.parley.protocol.api;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ProtocolViolation;

import java.util.List;

/** Lists of user ids in request bodies: absent means none, and a null element is named instead of a bare 400. */
final class UserIds {
    private UserIds() {
    }

    static List<Long> of(List<Long> ids, String field) {
        if (ids == null) {
            return List.of();
        }
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) == null) {
                throw new ProtocolViolation(ErrorCode.VALIDATION_FAILED,
                        "'" + field + "[" + i + "]' must be a user id, not null");
            }
        }
        return List.copyOf(ids);
    }
}
