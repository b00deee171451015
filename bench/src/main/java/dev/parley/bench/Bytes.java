package dev.parley.bench;

import java.nio.charset.StandardCharsets;

/** Byte-level helpers so received frames are matched without decoding them into Strings. */
final class Bytes {
    private Bytes() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static boolean startsWith(byte[] a, int off, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Index of {@code pattern} in {@code a[off, off+len)}, or -1. */
    static int indexOf(byte[] a, int off, int len, byte[] pattern) {
        int end = off + len - pattern.length;
        byte first = pattern[0];
        outer:
        for (int i = off; i <= end; i++) {
            if (a[i] != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (a[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Parses the unsigned decimal number at {@code a[pos]}; -1 when there is no digit there. */
    static long number(byte[] a, int pos, int end) {
        long v = 0;
        int i = pos;
        while (i < end && a[i] >= '0' && a[i] <= '9') {
            v = v * 10 + (a[i] - '0');
            i++;
        }
        return i == pos ? -1 : v;
    }

    /** Position after the decimal number at {@code a[pos]}. */
    static int skipNumber(byte[] a, int pos, int end) {
        int i = pos;
        while (i < end && a[i] >= '0' && a[i] <= '9') {
            i++;
        }
        return i;
    }

    /**
     * The characters after {@code key} (which ends with an opening quote) up to the closing quote, or null when the
     * key or the closing quote is missing. For values without escapes, such as ids.
     */
    static String textAfter(byte[] a, int off, int len, byte[] key) {
        int start = indexOf(a, off, len, key);
        if (start < 0) {
            return null;
        }
        start += key.length;
        for (int i = start; i < off + len; i++) {
            if (a[i] == '"') {
                return new String(a, start, i - start, StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
