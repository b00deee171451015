package dev.parley.protocol;

/**
 * Every size limit of protocol v1. Both the relay and the app check these before acting, so an over-limit input
 * is refused with a clear error on whichever side sees it first and is never truncated silently.
 */
public final class Limits {
    private Limits() {
    }

    /** Largest WebSocket text frame the relay reads as a request, in UTF-8 bytes. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;
    /** Message text, in characters (UTF-16 code units, as Java and JavaScript count them). */
    public static final int MAX_TEXT_LENGTH = 16_000;
    public static final int MIN_USERNAME_LENGTH = 3;
    public static final int MAX_USERNAME_LENGTH = 32;
    public static final int MAX_DISPLAY_NAME_LENGTH = 64;
    public static final int MIN_PASSWORD_LENGTH = 8;
    public static final int MAX_PASSWORD_LENGTH = 128;
    public static final int MAX_CONVERSATION_NAME_LENGTH = 80;
    public static final int MAX_TOPIC_LENGTH = 500;
    public static final int MAX_GROUP_MEMBERS = 1_000;
    public static final int MAX_REQUEST_ID_LENGTH = 64;
    public static final int MAX_CLIENT_ID_LENGTH = 64;
    public static final int MAX_DEVICE_FIELD_LENGTH = 100;
    /** Largest page of events one sync or history request returns. */
    public static final int MAX_PAGE_SIZE = 200;
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** A conversation search's query, in characters after trimming and Unicode normalization. */
    public static final int MIN_SEARCH_LENGTH = 2;
    public static final int MAX_SEARCH_LENGTH = 100;
    /** Hits in one search answer. */
    public static final int MAX_SEARCH_HITS = 50;
    public static final int DEFAULT_SEARCH_HITS = 20;
    /** A session description in a call_signal; real ones are a few kilobytes. */
    public static final int MAX_SDP_LENGTH = 32 * 1024;
    public static final int MAX_CANDIDATE_LENGTH = 1024;
    /** Files and voice notes arrive with the files feature; their limits are fixed now so clients can show them. */
    public static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
    public static final int MAX_VOICE_NOTE_SECONDS = 5 * 60;
}
