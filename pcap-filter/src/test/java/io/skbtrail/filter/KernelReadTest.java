package io.skbtrail.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which bytes come from the scratch copy and which from bpf_probe_read_kernel, and what a fault does. */
@Tag("unit")
class KernelReadTest {

    private static long run(FilterProgram program, byte[] packet, int readable, int cachedLen) {
        return new EbpfInterpreter(program.ebpf())
                .run(new EbpfInterpreter.Call(packet, readable, packet.length, packet.length, cachedLen));
    }

    @Test
    void cachedBytesNeedNoKernelReads() {
        FilterProgram program = PcapFilterCompiler.compile("tcp and dst port 8080").l2();
        byte[] syn = DifferentialTest.FRAMES.get("tcp syn");
        assertEquals(1, run(program, syn, 0, syn.length));
    }

    @Test
    void uncachedBytesAreReadFromTheKernel() {
        FilterProgram program = PcapFilterCompiler.compile("tcp and dst port 8080").l2();
        byte[] syn = DifferentialTest.FRAMES.get("tcp syn");
        assertEquals(1, run(program, syn, syn.length, 0));
        assertEquals(1, run(program, syn, syn.length, 14));
    }

    @Test
    void aFaultingKernelReadMeansNoMatch() {
        FilterProgram program = PcapFilterCompiler.compile("tcp and dst port 8080").l2();
        byte[] syn = DifferentialTest.FRAMES.get("tcp syn");
        assertEquals(0, run(program, syn, 20, 0)); // ip proto at 23 faults
        assertEquals(0, run(program, syn, 37, 14)); // dst port at 36..37 faults
        assertEquals(1, run(program, syn, 38, 14));
    }

    @Test
    void loadsBeyondTheScratchCopyUseTheKernel() {
        FilterProgram program = PcapFilterCompiler.compile("tcp[300:2] = 0x4141").l2();
        byte[] big = DifferentialTest.FRAMES.get("tcp 1200 bytes");
        assertEquals(1, run(program, big, big.length, 256));
        assertEquals(0, run(program, big, 300, 256));
    }
}
