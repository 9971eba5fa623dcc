package io.skbtrail.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class StubLayoutTest {

    private static final long JA_0 = 0x05L;
    private static final int EXIT = 0x95;

    @ParameterizedTest
    @ValueSource(strings = {"tcp and dst port 8080", "arp", "", "ip6[53] & 0x3f = 0x2", "tcp[300:2] = 0x4141",
        "ip[0] % (ip[1] & 2) = 1", "less 100"})
    void stubIsPaddingThenCodeEndingInExit(String expression) {
        CompiledFilter filter = PcapFilterCompiler.compile(expression);
        for (FilterProgram program : List.of(filter.l2(), filter.l3())) {
            int count = program.instructionCount();
            for (int slots : new int[] {count, count + 1, count + 37, 4096}) {
                byte[] stub = program.toStub(slots);
                assertEquals(slots * 8, stub.length);
                long[] insns = new long[slots];
                ByteBuffer.wrap(stub).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(insns);
                for (int i = 0; i < slots - count; i++) {
                    assertEquals(JA_0, insns[i], "padding at " + i);
                }
                assertArrayEquals(program.ebpf(), Arrays.copyOfRange(stub, (slots - count) * 8, stub.length));
                assertEquals(EXIT, EbpfInterpreter.opcode(insns[slots - 1]));
                for (int i = 0; i < slots; i++) {
                    if (EbpfInterpreter.isJump(insns[i])) {
                        int target = i + 1 + EbpfInterpreter.off(insns[i]);
                        assertTrue(target > i && target < slots, "jump at " + i + " to " + target);
                    }
                }
            }
            FilterTooComplexException e = assertThrows(FilterTooComplexException.class,
                    () -> program.toStub(count - 1));
            assertTrue(e.getMessage().contains("needs " + count + " instructions, the program has room for "
                    + (count - 1)), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 100})
    void paddedStubBehavesLikeTheBareCode(int extra) {
        FilterProgram program = PcapFilterCompiler.compile("tcp and dst port 8080").l2();
        EbpfInterpreter stub = new EbpfInterpreter(program.toStub(program.instructionCount() + extra));
        for (var frame : DifferentialTest.FRAMES.entrySet()) {
            byte[] bytes = frame.getValue();
            boolean expected = new Differential("bare", program).generated(bytes, bytes.length, bytes.length, 0);
            long actual = stub.run(EbpfInterpreter.Call.of(bytes, bytes.length, bytes.length, 0));
            assertEquals(expected ? 1 : 0, actual, frame.getKey());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 5})
    void constantStubs(int slots) {
        byte[] reject = PcapFilterCompiler.compile("arp").l3().toStub(slots);
        byte[] accept = PcapFilterCompiler.compile("").l2().toStub(slots);
        ByteBuffer r = ByteBuffer.wrap(reject).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer a = ByteBuffer.wrap(accept).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < slots - 2; i++) {
            assertEquals(JA_0, r.getLong());
            assertEquals(JA_0, a.getLong());
        }
        assertEquals(0xb7L, r.getLong(), "r0 = 0"); // BPF_ALU64 | BPF_MOV | BPF_K, dst r0, imm 0
        assertEquals(0xb7L | 1L << 32, a.getLong(), "r0 = 1");
        assertEquals(0x95L, r.getLong(), "exit");
        assertEquals(0x95L, a.getLong(), "exit");
    }
}
