package dev.parley.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BytesTest {
    @Test
    void findsPatternsAndNumbersInsideAFrame() {
        byte[] frame = Bytes.ascii("xx{\"type\":\"event\",\"event\":{\"text\":\"B|7|12345|xxxx\"}}");
        int off = 2;
        int len = frame.length - 2;
        assertTrue(Bytes.startsWith(frame, off, len, Bytes.ascii("{\"type\":\"event\",")));
        assertFalse(Bytes.startsWith(frame, off, len, Bytes.ascii("{\"type\":\"events\"")));
        int t = Bytes.indexOf(frame, off, len, Bytes.ascii("\"text\":\"B|"));
        assertTrue(t > off);
        int p = t + "\"text\":\"B|".length();
        assertEquals(7, Bytes.number(frame, p, frame.length));
        p = Bytes.skipNumber(frame, p, frame.length) + 1;
        assertEquals(12345, Bytes.number(frame, p, frame.length));
        assertEquals(-1, Bytes.number(frame, 0, frame.length));
        assertEquals(-1, Bytes.indexOf(frame, off, 5, Bytes.ascii("text")));
    }

    @Test
    void socketIoAckIdIsTheNumberAfterThePacketType() {
        byte[] ack = Bytes.ascii("43100000042[{\"ok\":true,\"id\":5}]");
        assertEquals(100000042, Bytes.number(ack, 2, ack.length));
    }

    @Test
    void textAfterAKeyStopsAtTheClosingQuoteAndIsNullWithoutKeyOrQuote() {
        byte[] ring = Bytes.ascii("..{\"type\":\"call_ring\",\"callId\":\"5b0e-7c52\",\"conv\":12}");
        byte[] key = Bytes.ascii("\"callId\":\"");
        assertEquals("5b0e-7c52", Bytes.textAfter(ring, 2, ring.length - 2, key));
        assertNull(Bytes.textAfter(ring, 2, 20, key));
        byte[] cut = Bytes.ascii("{\"callId\":\"5b0e");
        assertNull(Bytes.textAfter(cut, 0, cut.length, key));
    }
}
