package io.skbtrail.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.filter.libpcap.Libpcap;
import java.util.TreeSet;

/**
 * Runs a translated program in {@link EbpfInterpreter} and libpcap's {@code bpf_filter} on the same bytes and
 * asserts they agree, over a spread of linear_len, wire_len and cached_len values.
 */
final class Differential {

    private final String name;
    private final FilterProgram program;
    private final EbpfInterpreter interpreter;
    private final byte[] cbpf;
    private int cases;
    private int matches;

    Differential(String name, FilterProgram program) {
        this.name = name;
        this.program = program;
        this.interpreter = new EbpfInterpreter(program.ebpf());
        this.cbpf = program.cbpf().isEmpty() ? null : CbpfInsn.encode(program.cbpf());
    }

    @Override
    public String toString() {
        return name;
    }

    int cases() {
        return cases;
    }

    int matches() {
        return matches;
    }

    /** libpcap's verdict on the first linearLen bytes of the packet. */
    boolean reference(byte[] packet, int linearLen, int wireLen) {
        if (cbpf == null) {
            return program.matchesAll();
        }
        return Libpcap.filter(cbpf, packet, wireLen, linearLen) != 0;
    }

    /** The generated code's verdict; the whole packet stays readable kernel memory. */
    boolean generated(byte[] packet, int linearLen, int wireLen, int cachedLen) {
        long r0 = interpreter.run(EbpfInterpreter.Call.of(packet, linearLen, wireLen, cachedLen));
        assertTrue(r0 == 0 || r0 == 1, () -> name + ": r0 = " + r0);
        return r0 == 1;
    }

    /** Compares over truncations of the packet and several cached_len and wire_len values. */
    void check(String packetName, byte[] packet) {
        TreeSet<Integer> linearLens = new TreeSet<>();
        for (int len : new int[] {0, 1, 10, 14, 20, 23, 30, 38, 40, 54, 60, 70, 255, 256, 300}) {
            if (len < packet.length) {
                linearLens.add(len);
            }
        }
        linearLens.add(packet.length);
        for (int linearLen : linearLens) {
            for (int wireLen : new int[] {linearLen, packet.length, packet.length + 1000}) {
                boolean expected = reference(packet, linearLen, wireLen);
                int full = Math.min(linearLen, 256);
                TreeSet<Integer> cachedLens = new TreeSet<>();
                for (int cached : new int[] {0, 1, 14, 33, 64, full}) {
                    cachedLens.add(Math.min(cached, full));
                }
                for (int cachedLen : cachedLens) {
                    boolean actual = generated(packet, linearLen, wireLen, cachedLen);
                    assertEquals(expected, actual, () -> String.format(
                            "%s on %s: linear_len=%d wire_len=%d cached_len=%d", name, packetName, linearLen,
                            wireLen, cachedLen));
                    cases++;
                    if (actual) {
                        matches++;
                    }
                }
            }
        }
    }
}
