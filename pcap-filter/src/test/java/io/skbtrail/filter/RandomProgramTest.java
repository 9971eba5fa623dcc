package io.skbtrail.filter;

import static io.skbtrail.filter.CbpfInsn.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random forward-only cBPF programs using every opcode libpcap's interpreter knows, translated and compared with
 * {@code bpf_filter}. Covers what no pcap expression produces (RET A, JSET X, LDX LEN, STX, DIV K ...).
 */
@Tag("unit")
class RandomProgramTest {

    private static final int BODY = 40;

    @Test
    void randomProgramsAgreeWithLibpcap() {
        Random random = new Random(42);
        List<byte[]> packets = new ArrayList<>(DifferentialTest.FRAMES.values());
        int compared = 0;
        int matched = 0;
        for (int round = 0; round < 400; round++) {
            List<CbpfInsn> program = randomProgram(random);
            Differential differential = new Differential("program #" + round + "\n" + disassemble(program),
                    FilterProgram.of(program));
            for (int p = 0; p < 3; p++) {
                byte[] packet = packets.get(random.nextInt(packets.size()));
                differential.check("packet of " + packet.length + " bytes", packet);
            }
            compared += differential.cases();
            matched += differential.matches();
        }
        assertTrue(compared > 100_000, "compared " + compared);
        assertTrue(matched > compared / 10 && matched < compared * 9 / 10, "both outcomes: " + matched);
    }

    /**
     * Every ALU operation on edge values (shifts by 31/32/33, division by 0, wrap-around), with X or (for even
     * A) a constant operand, checked bit by bit:
     * one program per result bit ends in {@code jset #bit}, so the whole 32-bit A must agree, not just A != 0.
     */
    @Test
    void aluEdgeCasesAgreeWithLibpcapBitForBit() {
        int[] values = {0, 1, 2, 31, 32, 33, 0x7fffffff, 0x80000001, 0xffffffff};
        int[] ops = {ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, NEG, MOD, XOR};
        byte[] packet = new byte[4];
        int compared = 0;
        for (int op : ops) {
            for (int a : values) {
                for (int x : values) {
                    // libpcap's interpreter would trap on a constant division by 0; it never emits one.
                    boolean constant = (a & 1) == 0 && !(x == 0 && (op == DIV || op == MOD));
                    for (int bit = 0; bit < 32; bit++) {
                        List<CbpfInsn> program = List.of(
                                of(LD | IMM, 0, 0, a),
                                of(LDX | IMM, 0, 0, x),
                                of(ALU | op | (op == NEG || constant ? K : X), 0, 0, constant ? x : 0),
                                of(JMP | JSET | K, 0, 1, 1 << bit),
                                of(RET | K, 0, 0, 1),
                                of(RET | K, 0, 0, 0));
                        Differential differential = new Differential(String.format(
                                "A=0x%x X=0x%x bit %d%n%s", a, x, bit, disassemble(program)), FilterProgram.of(program));
                        boolean expected = differential.reference(packet, 4, 4);
                        assertEquals(expected, differential.generated(packet, 4, 4, 4), differential::toString);
                        compared++;
                    }
                }
            }
        }
        assertEquals(ops.length * values.length * values.length * 32, compared);
    }

    /** Memory words are all written before the body, as libpcap's interpreter leaves M[] uninitialized. */
    static List<CbpfInsn> randomProgram(Random random) {
        List<CbpfInsn> program = new ArrayList<>();
        int words = random.nextInt(4);
        for (int word = 0; word < words; word++) {
            program.add(of(LD | IMM, 0, 0, random.nextInt(300)));
            program.add(of(ST, 0, 0, word));
        }
        int end = program.size() + BODY; // index of the first of the three final returns
        while (program.size() < end) {
            program.add(randomInsn(random, words, end - program.size() - 1));
        }
        program.add(of(RET | RET_A, 0, 0, 0));
        program.add(of(RET | K, 0, 0, 0));
        program.add(of(RET | K, 0, 0, 262144));
        return program;
    }

    /** {@code room}: instructions between this one and the final returns. */
    private static CbpfInsn randomInsn(Random random, int words, int room) {
        int[] sizes = {W, H, B};
        int size = sizes[random.nextInt(3)];
        int offset = random.nextInt(10) == 0 ? 230 + random.nextInt(60) : random.nextInt(70);
        int choice = random.nextInt(20);
        switch (choice) {
            case 0, 1, 2:
                return of(LD | size | ABS, 0, 0, random.nextInt(50) == 0 ? 0xfffffffe : offset);
            case 3:
                return of(LD | size | IND, 0, 0, random.nextInt(50) == 0 ? 0xfffffffd : offset);
            case 4:
                return of(LDX | B | MSH, 0, 0, offset);
            case 5:
                return random.nextBoolean() ? of(LD | LEN, 0, 0, 0) : of(LDX | LEN, 0, 0, 0);
            case 6:
                return random.nextBoolean() ? of(LD | IMM, 0, 0, random.nextInt())
                        : of(LDX | IMM, 0, 0, random.nextInt(random.nextBoolean() ? 40 : 100_000));
            case 7:
                if (words > 0) {
                    int word = random.nextInt(words);
                    return switch (random.nextInt(4)) {
                        case 0 -> of(LD | MEM, 0, 0, word);
                        case 1 -> of(LDX | MEM, 0, 0, word);
                        case 2 -> of(ST, 0, 0, word);
                        default -> of(STX, 0, 0, word);
                    };
                }
                return of(MISC | TAX, 0, 0, 0);
            case 8, 9, 10, 11: {
                int[] ops = {ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, NEG, MOD, XOR};
                int op = ops[random.nextInt(ops.length)];
                if (op == NEG) {
                    return of(ALU | NEG, 0, 0, 0);
                }
                if (random.nextBoolean()) {
                    return of(ALU | op | X, 0, 0, 0);
                }
                int k = switch (op) {
                    case LSH, RSH -> random.nextInt(32);
                    case DIV, MOD -> 1 + random.nextInt(random.nextBoolean() ? 16 : Integer.MAX_VALUE);
                    default -> random.nextInt(random.nextBoolean() ? 256 : Integer.MAX_VALUE) * (random.nextBoolean() ? 1 : -1);
                };
                return of(ALU | op | K, 0, 0, k);
            }
            case 12:
                return random.nextBoolean() ? of(MISC | TAX, 0, 0, 0) : of(MISC | TXA, 0, 0, 0);
            case 13:
                if (random.nextInt(3) == 0) {
                    return of(RET | K, 0, 0, random.nextInt(3));
                }
                return of(JMP | JA, 0, 0, random.nextInt(Math.min(room, 6) + 1));
            default: {
                int[] ops = {JEQ, JGT, JGE, JSET};
                int op = ops[random.nextInt(ops.length)];
                int jt = random.nextInt(Math.min(room, 8) + 1);
                int jf = random.nextInt(Math.min(room, 8) + 1);
                if (random.nextInt(4) == 0) {
                    return of(JMP | op | X, jt, jf, 0);
                }
                int k = random.nextBoolean() ? random.nextInt(16) : random.nextInt();
                return of(JMP | op | K, jt, jf, k);
            }
        }
    }
}
