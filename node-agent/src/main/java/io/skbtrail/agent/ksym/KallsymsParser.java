package io.skbtrail.agent.ksym;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code /proc/kallsyms} bytes into primitive arrays sorted by address.
 *
 * <p>Each line is {@code %px %c %s} plus {@code \t[%s]} for module symbols (see {@code s_show()} in
 * {@code kernel/kallsyms.c}). The type letter is nm's: {@code t}/{@code T} text, {@code w}/{@code W} weak (text
 * here), lower case meaning local. BPF programs, trampolines and ftrace stubs appear as text of pseudo-modules such
 * as {@code [bpf]} and {@code [__builtin__ftrace]}.
 */
final class KallsymsParser {
    /** The parsed table: parallel arrays indexed by symbol, sorted by unsigned address, ties in file order. */
    record Table(long[] addresses, int[] nameOffsets, byte[] names, int[] moduleIds, String[] moduleNames,
                 boolean restricted) {
    }

    private long[] addresses = new long[1024];
    private int[] nameOffsets = new int[1024];
    private int[] moduleIds = new int[1024];
    private byte[] names = new byte[16 * 1024];
    private int count;
    private int namesLength;
    private final List<String> moduleNames = new ArrayList<>();
    private final Map<String, Integer> moduleIndex = new HashMap<>();

    private KallsymsParser() {
    }

    /** @throws IllegalArgumentException with the 1-based line number when a line does not look like kallsyms */
    static Table parse(byte[] data, int length) {
        return new KallsymsParser().run(data, length);
    }

    private Table run(byte[] d, int length) {
        boolean allZero = true;
        int lines = 0;
        int lastModStart = -1;
        int lastModLen = 0;
        int lastModId = -1;
        for (int pos = 0; pos < length; ) {
            int eol = pos;
            while (eol < length && d[eol] != '\n') {
                eol++;
            }
            lines++;
            if (eol == pos) { // blank line
                pos = eol + 1;
                continue;
            }
            int p = pos;
            long address = 0;
            for (int digit; p < eol && (digit = Character.digit(d[p], 16)) >= 0; p++) {
                address = address << 4 | digit;
            }
            if (p == pos || p - pos > 16 || p + 3 >= eol || d[p] != ' ' || d[p + 2] != ' ') {
                throw new IllegalArgumentException("line " + lines + ": expected \"ADDRESS TYPE NAME [MODULE]\"");
            }
            byte type = d[p + 1];
            int nameStart = p + 3;
            int nameEnd = nameStart;
            while (nameEnd < eol && d[nameEnd] != '\t' && d[nameEnd] != ' ') {
                nameEnd++;
            }
            allZero &= address == 0;
            if (type == 't' || type == 'T' || type == 'w' || type == 'W') {
                int moduleId = -1;
                int open = nameEnd + 1;
                if (open < eol && d[open] == '[') {
                    int close = open + 1;
                    while (close < eol && d[close] != ']') {
                        close++;
                    }
                    int modStart = open + 1;
                    int modLen = close - modStart;
                    // Module symbols come in runs: compare with the previous module before building a String.
                    if (lastModId >= 0 && Arrays.equals(d, modStart, modStart + modLen,
                            d, lastModStart, lastModStart + lastModLen)) {
                        moduleId = lastModId;
                    } else {
                        moduleId = moduleId(new String(d, modStart, modLen, StandardCharsets.UTF_8));
                    }
                    lastModStart = modStart;
                    lastModLen = modLen;
                    lastModId = moduleId;
                }
                add(address, d, nameStart, nameEnd - nameStart, moduleId);
            }
            pos = eol + 1;
        }
        if (allZero && lines > 0) {
            // kallsyms_show_value() said no: every address reads as 0, so nothing can be looked up.
            return new Table(new long[0], new int[0], new byte[0], new int[0], new String[0], true);
        }
        return sorted();
    }

    private int moduleId(String module) {
        return moduleIndex.computeIfAbsent(module, m -> {
            moduleNames.add(m);
            return moduleNames.size() - 1;
        });
    }

    private void add(long address, byte[] d, int nameStart, int nameLength, int moduleId) {
        if (count == addresses.length) {
            int n = count * 2;
            addresses = Arrays.copyOf(addresses, n);
            nameOffsets = Arrays.copyOf(nameOffsets, n);
            moduleIds = Arrays.copyOf(moduleIds, n);
        }
        if (namesLength + nameLength + 1 > names.length) {
            names = Arrays.copyOf(names, Math.max(names.length * 2, namesLength + nameLength + 1));
        }
        System.arraycopy(d, nameStart, names, namesLength, nameLength);
        addresses[count] = address;
        nameOffsets[count] = namesLength;
        moduleIds[count] = moduleId;
        count++;
        namesLength += nameLength;
        names[namesLength++] = 0;
    }

    /** vmlinux lines are already in address order; modules and BPF programs follow in load order. */
    private Table sorted() {
        long[] a = Arrays.copyOf(addresses, count);
        int[] n = Arrays.copyOf(nameOffsets, count);
        int[] m = Arrays.copyOf(moduleIds, count);
        boolean inOrder = true;
        for (int i = 1; i < count && inOrder; i++) {
            inOrder = Long.compareUnsigned(a[i - 1], a[i]) <= 0;
        }
        if (!inOrder) {
            int[] perm = new int[count];
            for (int i = 0; i < count; i++) {
                perm[i] = i;
            }
            mergeSort(perm, new int[count], 0, count, a);
            long[] sa = new long[count];
            int[] sn = new int[count];
            int[] sm = new int[count];
            for (int i = 0; i < count; i++) {
                sa[i] = a[perm[i]];
                sn[i] = n[perm[i]];
                sm[i] = m[perm[i]];
            }
            a = sa;
            n = sn;
            m = sm;
        }
        return new Table(a, n, Arrays.copyOf(names, namesLength), m, moduleNames.toArray(new String[0]), false);
    }

    /** Stable sort of {@code perm[from, to)} by unsigned {@code keys[perm[i]]}, so aliases keep their file order. */
    private static void mergeSort(int[] perm, int[] tmp, int from, int to, long[] keys) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(perm, tmp, from, mid, keys);
        mergeSort(perm, tmp, mid, to, keys);
        if (Long.compareUnsigned(keys[perm[mid - 1]], keys[perm[mid]]) <= 0) {
            return; // already ordered: the common case for kallsyms runs
        }
        System.arraycopy(perm, from, tmp, from, to - from);
        for (int i = from, l = from, r = mid; i < to; i++) {
            if (r >= to || l < mid && Long.compareUnsigned(keys[tmp[l]], keys[tmp[r]]) <= 0) {
                perm[i] = tmp[l++];
            } else {
                perm[i] = tmp[r++];
            }
        }
    }
}
