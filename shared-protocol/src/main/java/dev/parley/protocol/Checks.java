package dev.parley.protocol;

/** Argument checks for wire records; each failure names the field so the peer's error message is actionable. */
final class Checks {
    private Checks() {
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new ProtocolViolation(ErrorCode.VALIDATION_FAILED, "'" + field + "' is required");
        }
        return value;
    }

    static String requiredText(String value, String field, int maxLength) {
        required(value, field);
        if (value.isBlank()) {
            throw new ProtocolViolation(ErrorCode.VALIDATION_FAILED, "'" + field + "' must not be blank");
        }
        return maxLength(value, field, maxLength);
    }

    static String maxLength(String value, String field, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new ProtocolViolation(ErrorCode.TOO_LONG,
                    "'" + field + "' has " + value.length() + " characters; the limit is " + maxLength);
        }
        return value;
    }

    static long positive(long value, String field) {
        if (value <= 0) {
            throw new ProtocolViolation(ErrorCode.VALIDATION_FAILED, "'" + field + "' must be a positive number");
        }
        return value;
    }

    static long notNegative(long value, String field) {
        if (value < 0) {
            throw new ProtocolViolation(ErrorCode.VALIDATION_FAILED, "'" + field + "' must not be negative");
        }
        return value;
    }

    static int pageSize(Integer limit) {
        if (limit == null) {
            return Limits.DEFAULT_PAGE_SIZE;
        }
        if (limit < 1 || limit > Limits.MAX_PAGE_SIZE) {
            throw new ProtocolViolation(ErrorCode.VALIDATION_FAILED,
                    "'limit' must be between 1 and " + Limits.MAX_PAGE_SIZE);
        }
        return limit;
    }
}
