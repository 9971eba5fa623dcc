package io.skbtrail.agent.ksym;

import java.util.Arrays;

/**
 * Name to symbol indices, built on first use: an open-addressing table of ints over the name pool, so 120k+
 * symbols cost one int array rather than a map of Strings. Static functions share names (a dozen {@code t} symbols
 * called {@code init_once}, one per file that defines it), so a name maps to every index holding it.
 */
final class SymbolNameIndex {
    private final byte[] names;
    private final int[] nameOffsets;
    /** Symbol index + 1; 0 marks an empty slot. */
    private final int[] slots;
    private final int mask;

    SymbolNameIndex(byte[] names, int[] nameOffsets) {
        this.names = names;
        this.nameOffsets = nameOffsets;
        int size = Integer.highestOneBit(Math.max(16, nameOffsets.length * 2 - 1)) << 1;
        this.slots = new int[size];
        this.mask = size - 1;
        for (int i = 0; i < nameOffsets.length; i++) {
            int s = hash(names, nameOffsets[i]) & mask;
            while (slots[s] != 0) {
                s = (s + 1) & mask;
            }
            slots[s] = i + 1;
        }
    }

    /** Indices of the symbols named {@code name} (ASCII/UTF-8 bytes), in ascending order. */
    int[] lookup(byte[] name) {
        int[] found = new int[0];
        int h = hash(name, 0, name.length);
        for (int s = h & mask; slots[s] != 0; s = (s + 1) & mask) {
            int i = slots[s] - 1;
            if (matches(nameOffsets[i], name)) {
                found = Arrays.copyOf(found, found.length + 1);
                found[found.length - 1] = i;
            }
        }
        Arrays.sort(found);
        return found;
    }

    private boolean matches(int off, byte[] name) {
        if (off + name.length >= names.length || names[off + name.length] != 0) {
            return false;
        }
        for (int j = 0; j < name.length; j++) {
            if (names[off + j] != name[j]) {
                return false;
            }
        }
        return true;
    }

    /** Hash of the NUL-terminated name at {@code off}. */
    private static int hash(byte[] pool, int off) {
        int end = off;
        while (pool[end] != 0) {
            end++;
        }
        return hash(pool, off, end);
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 0x811c9dc5; // FNV-1a
        for (int i = from; i < to; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x01000193;
        }
        return h ^ h >>> 16;
    }
}
