package io.skbtrail.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RowBufferTest {

    private static String written(long value) {
        RowBuffer out = new RowBuffer(1);
        out.put((byte) '|');
        out.putLong(value);
        return new String(out.array(), 1, out.size() - 1, StandardCharsets.US_ASCII);
    }

    @Test
    void numbersAreWrittenAsLongToStringWritesThem() {
        long[] edges = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, -1, -9, -10, -100, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MIN_VALUE + 1, 0xffff8b7d9462c600L};
        for (long v : edges) {
            assertEquals(Long.toString(v), written(v));
        }
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
            for (long v : new long[] {p - 1, p, p + 1, 10 * p - 1, -p, -(p - 1)}) {
                assertEquals(Long.toString(v), written(v));
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong() >> random.nextInt(64);
            assertEquals(Long.toString(v), written(v));
        }
    }

    @Test
    void growsAndTruncates() {
        RowBuffer out = new RowBuffer(1);
        for (int i = 0; i < 1000; i++) {
            out.put("row " + i + "\n");
        }
        int mark = out.size();
        out.put("half a row");
        out.truncate(mark);
        String text = new String(out.array(), 0, out.size(), StandardCharsets.US_ASCII);
        assertEquals(1000, text.split("\n").length);
        assertEquals("row 999\n", text.substring(text.length() - 8));
    }
}
