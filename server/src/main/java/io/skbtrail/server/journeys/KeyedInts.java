package io.skbtrail.server.journeys;

import java.util.Arrays;

/**
 * A growable list of (64-bit key, int value) pairs that sorts by key (LSD radix sort, 16 bits a pass): how the join
 * groups hundreds of thousands of segments by key without boxing a number per segment.
 */
final class KeyedInts {
    long[] keys;
    int[] values;
    int size;

    KeyedInts(int capacity) {
        keys = new long[Math.max(16, capacity)];
        values = new int[keys.length];
    }

    void add(long key, int value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size] = value;
        size++;
    }

    /** Sorts the pairs by key (unsigned order; equal keys keep their order). */
    void sort() {
        long[] k2 = new long[size];
        int[] v2 = new int[size];
        int[] count = new int[1 << 16];
        long[] ka = keys;
        int[] va = values;
        for (int shift = 0; shift < 64; shift += 16) {
            Arrays.fill(count, 0);
            for (int i = 0; i < size; i++) {
                count[(int) (ka[i] >>> shift) & 0xffff]++;
            }
            int sum = 0;
            for (int b = 0; b < count.length; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = 0; i < size; i++) {
                int b = (int) (ka[i] >>> shift) & 0xffff;
                int at = count[b]++;
                k2[at] = ka[i];
                v2[at] = va[i];
            }
            long[] tk = ka;
            ka = k2;
            k2 = tk;
            int[] tv = va;
            va = v2;
            v2 = tv;
        }
        keys = ka;
        values = va;
    }

    /** The end (exclusive) of the run of equal keys that starts at {@code from}. */
    int runEnd(int from) {
        int to = from + 1;
        while (to < size && keys[to] == keys[from]) {
            to++;
        }
        return to;
    }
}
