package io.skbtrail.server.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array that COPY rows are written into, then handed to the driver as is. Not thread-safe. */
final class RowBuffer {
    private byte[] bytes;
    private int size;

    RowBuffer(int capacity) {
        bytes = new byte[Math.max(64, capacity)];
    }

    byte[] array() {
        return bytes;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Forgets what was written after {@code mark} (a row given up half-way). */
    void truncate(int mark) {
        size = mark;
    }

    /** Room for {@code more} bytes; callers then write through {@link #array()} and {@link #advance}. */
    void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    void advance(int written) {
        size += written;
    }

    void put(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    void put(byte[] source, int from, int to) {
        int n = to - from;
        ensure(n);
        System.arraycopy(source, from, bytes, size, n);
        size += n;
    }

    void put(byte[] source) {
        put(source, 0, source.length);
    }

    void put(String text) {
        put(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A decimal number, as {@code Long.toString} writes it. */
    void putLong(long value) {
        if (value == Long.MIN_VALUE) {
            put("-9223372036854775808");
            return;
        }
        ensure(20);
        if (value < 0) {
            bytes[size++] = '-';
            value = -value;
        }
        int digits = digits(value);
        int at = size + digits;
        // Two digits per division.
        while (value >= 100) {
            int pair = (int) (value % 100) * 2;
            value /= 100;
            bytes[--at] = DIGIT_PAIRS[pair + 1];
            bytes[--at] = DIGIT_PAIRS[pair];
        }
        if (value >= 10) {
            int pair = (int) value * 2;
            bytes[--at] = DIGIT_PAIRS[pair + 1];
            bytes[--at] = DIGIT_PAIRS[pair];
        } else {
            bytes[--at] = (byte) ('0' + value);
        }
        size += digits;
    }

    /** "00", "01", … "99", one after the other. */
    private static final byte[] DIGIT_PAIRS = new byte[200];
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    /** Decimal digits of a non-negative number. */
    private static int digits(long value) {
        // log10 from the bit length (1233 / 4096 is just above log10(2)), then one correction.
        int estimate = (64 - Long.numberOfLeadingZeros(value)) * 1233 >>> 12;
        return Math.max(1, value >= POWERS_OF_TEN[estimate] ? estimate + 1 : estimate);
    }
}
