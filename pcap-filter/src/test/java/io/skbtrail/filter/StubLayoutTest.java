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
    void stubIsGuardThenCodeThenUnreachablePadding(String expression) {
        CompiledFilter filter = PcapFilterCompiler.compile(expression);
        for (FilterProgram program : List.of(filter.l2(), filter.l3())) {
            int count = program.instructionCount();
            int minimum = count + FilterProgram.PROLOGUE + 1;
            for (int slots : new int[] {minimum, minimum + 1, minimum + 37, 4096}) {
                byte[] stub = program.toStub(slots);
                assertEquals(slots * 8, stub.length);
                long[] insns = new long[slots];
                ByteBuffer.wrap(stub).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(insns);
                assertEquals(0xb7L, insns[0], "r0 = 0");
                assertEquals(0x55, EbpfInterpreter.opcode(insns[1]), "if r0 != 0 goto padding");
                assertEquals(FilterProgram.PROLOGUE + count, 2 + EbpfInterpreter.off(insns[1]),
                        "the never-taken branch lands on the first padding instruction");
                assertEquals(0x55, EbpfInterpreter.opcode(insns[2]), "if r1 != 0: the scratch pointer is checked");
                assertEquals(EXIT, EbpfInterpreter.opcode(insns[3]));
                assertArrayEquals(program.ebpf(), Arrays.copyOfRange(stub, FilterProgram.PROLOGUE * 8,
                        (FilterProgram.PROLOGUE + count) * 8));
                for (int i = FilterProgram.PROLOGUE + count; i < slots - 1; i++) {
                    assertEquals(JA_0, insns[i], "padding at " + i);
                }
                assertEquals(EXIT, EbpfInterpreter.opcode(insns[slots - 1]));
                for (int i = 0; i < slots; i++) {
                    if (EbpfInterpreter.isJump(insns[i])) {
                        int target = i + 1 + EbpfInterpreter.off(insns[i]);
                        assertTrue(target > i && target < slots, "jump at " + i + " to " + target);
                    }
                }
            }
            FilterTooComplexException e = assertThrows(FilterTooComplexException.class,
                    () -> program.toStub(minimum - 1));
            assertTrue(e.getMessage().contains("needs " + minimum + " instructions, the program has room for "
                    + (minimum - 1)), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 6, 100})
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
    @ValueSource(ints = {7, 9})
    void constantStubs(int slots) {
        byte[] reject = PcapFilterCompiler.compile("arp").l3().toStub(slots);
        byte[] accept = PcapFilterCompiler.compile("").l2().toStub(slots);
        ByteBuffer r = ByteBuffer.wrap(reject).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer a = ByteBuffer.wrap(accept).order(ByteOrder.LITTLE_ENDIAN);
        long r0is0 = 0xb7L; // BPF_ALU64 | BPF_MOV | BPF_K, dst r0, imm 0
        assertEquals(r0is0, r.getLong(FilterProgram.PROLOGUE * 8), "r0 = 0");
        assertEquals(r0is0 | 1L << 32, a.getLong(FilterProgram.PROLOGUE * 8), "r0 = 1");
        assertEquals(0x95L, r.getLong((FilterProgram.PROLOGUE + 1) * 8), "exit");
        assertEquals(0x95L, a.getLong((FilterProgram.PROLOGUE + 1) * 8), "exit");
        assertEquals(0, new EbpfInterpreter(reject).run(EbpfInterpreter.Call.of(new byte[0], 0, 0, 0)));
        assertEquals(1, new EbpfInterpreter(accept).run(EbpfInterpreter.Call.of(new byte[0], 0, 0, 0)));
    }
}
