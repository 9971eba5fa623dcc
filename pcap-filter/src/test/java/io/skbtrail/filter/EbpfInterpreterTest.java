package io.skbtrail.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The test interpreter must refuse what the kernel would, or the differential tests prove less. */
@Tag("unit")
class EbpfInterpreterTest {

    private static final long R0_0 = insn(0xb7, 0, 0, 0, 0); // r0 = 0
    private static final long R0_1 = insn(0xb7, 0, 0, 0, 1); // r0 = 1
    private static final long EXIT = insn(0x95, 0, 0, 0, 0);
    private static final byte[] PACKET = Packets.payload(100, 1);

    private static long insn(int opcode, int dst, int src, int off, int imm) {
        return EbpfAssembler.encode(opcode, dst, src, off, imm);
    }

    private static byte[] code(long... insns) {
        ByteBuffer out = ByteBuffer.allocate(insns.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long insn : insns) {
            out.putLong(insn);
        }
        return out.array();
    }

    private static long run(int cachedLen, long... insns) {
        return new EbpfInterpreter(code(insns)).run(EbpfInterpreter.Call.of(PACKET, 100, 100, cachedLen));
    }

    private static void assertRejected(String why, long... insns) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(100, insns));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void runsAValidProgram() {
        assertEquals(1, run(0, R0_1, EXIT));
        // r0 = *(u8 *)(r1 + 10): the scratch copy of the packet
        assertEquals(PACKET[10] & 0xff, run(20, insn(0x71, 0, 1, 10, 0), EXIT));
    }

    @Test
    void refusesUnknownOpcodes() {
        assertRejected("unexpected instruction class", insn(0x18, 0, 0, 0, 0), insn(0, 0, 0, 0, 0), EXIT);
        assertRejected("only bpf_probe_read_kernel", insn(0x85, 0, 0, 0, 6), EXIT);
    }

    @Test
    void refusesBadControlFlow() {
        assertRejected("outside", R0_0, insn(0x05, 0, 0, -2, 0), EXIT); // ja -2
        assertRejected("outside", R0_0); // runs off the end
        assertRejected("unreachable", R0_0, EXIT, R0_1, EXIT);
        assertRejected("outside", R0_0, insn(0x05, 0, 0, 5, 0), EXIT); // jumps past the end
    }

    @Test
    void refusesUninitializedRegistersAndStack() {
        assertRejected("uninitialized register", insn(0xbf, 0, 6, 0, 0), EXIT); // r0 = r6
        assertRejected("unwritten stack", insn(0x61, 0, 10, -8, 0), EXIT); // r0 = *(u32 *)(r10 - 8)
        // r1-r5 are dead after a call
        assertRejected("uninitialized register", insn(0xbf, 1, 10, 0, 0), insn(0x07, 1, 0, 0, -8),
                insn(0xb7, 2, 0, 0, 4), insn(0xbf, 3, 2, 0, 0), insn(0x85, 0, 0, 0, 113), insn(0xbf, 0, 1, 0, 0),
                EXIT);
    }

    @Test
    void refusesMemoryAccessesOutsideTheContract() {
        IllegalStateException stale = assertThrows(IllegalStateException.class,
                () -> run(10, insn(0x71, 0, 1, 10, 0), EXIT));
        assertTrue(stale.getMessage().contains("past cached_len 10"), stale.getMessage());
        assertRejected("past the map value", insn(0x61, 0, 1, 254, 0), EXIT);
        assertRejected("stack frame", insn(0x62, 10, 0, -136, 0), R0_0, EXIT); // *(u32 *)(r10 - 136) = 0
        assertRejected("misaligned", insn(0x62, 10, 0, -6, 0), R0_0, EXIT);
        assertRejected("outside", insn(0x71, 0, 2, 0, 0), EXIT); // the packet is kernel memory: no direct loads
    }

    @Test
    void probeReadCopiesReadableKernelMemoryOrFails() {
        // bpf_probe_read_kernel(r10 - 8, 4, pkt + 96)
        long[] read = {insn(0xbf, 3, 2, 0, 0), insn(0x07, 3, 0, 0, 96), insn(0xbf, 1, 10, 0, 0),
            insn(0x07, 1, 0, 0, -8), insn(0xb7, 2, 0, 0, 4), insn(0x85, 0, 0, 0, 113), EXIT};
        EbpfInterpreter interpreter = new EbpfInterpreter(code(read));
        assertEquals(0, interpreter.run(EbpfInterpreter.Call.of(PACKET, 100, 100, 0)));
        assertEquals(-EbpfInterpreter.EFAULT, interpreter.run(new EbpfInterpreter.Call(PACKET, 99, 100, 100, 0)));
    }
}
