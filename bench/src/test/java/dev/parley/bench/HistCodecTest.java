package dev.parley.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HistCodecTest {
    @Test
    void encodedHistogramsMergeExactly() {
        Histogram a = LoadRun.newHist();
        Histogram b = LoadRun.newHist();
        Histogram both = LoadRun.newHist();
        for (int i = 1; i <= 10_000; i++) {
            long value = i * 37L % 50_000 + 1;
            (i % 3 == 0 ? a : b).recordValue(value);
            both.recordValue(value);
        }
        Histogram merged = HistCodec.merge(List.of(HistCodec.decode(HistCodec.encode(a)),
                HistCodec.decode(HistCodec.encode(b))));
        assertEquals(both.getTotalCount(), merged.getTotalCount());
        assertEquals(both.getValueAtPercentile(99), merged.getValueAtPercentile(99));
        assertEquals(both.getMaxValue(), merged.getMaxValue());
        assertEquals(both, merged);
    }
}
