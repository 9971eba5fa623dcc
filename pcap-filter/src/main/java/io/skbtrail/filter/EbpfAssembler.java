package io.skbtrail.filter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Accumulates eBPF instructions and resolves forward jumps to labels.
 *
 * <p>Encoding (8 bytes, little-endian): u8 opcode; u8 registers (dst in the low nibble, src in the high);
 * s16 offset; s32 immediate. A jump's offset counts from the instruction after it.
 */
final class EbpfAssembler {

    // Classes.
    static final int LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, JMP32 = 0x06, ALU64 = 0x07;
    // Memory access: size | BPF_MEM.
    static final int W = 0x00, H = 0x08, B = 0x10, DW = 0x18, MEM = 0x60;
    // ALU operations beyond the ones shared with cBPF, and the operand source.
    static final int MOV = 0xb0, END = 0xd0, K = 0x00, X = 0x08, TO_BE = 0x08;
    // Jumps beyond the ones shared with cBPF.
    static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40, JNE = 0x50, CALL = 0x80,
            EXIT = 0x90, JLT = 0xa0, JLE = 0xb0;

    private long[] code = new long[64];
    private int size;
    private final List<Integer> labels = new ArrayList<>(); // label -> bound position, or -1
    private final List<int[]> fixups = new ArrayList<>(); // {position of jump, label}
    private final List<Boolean> referenced = new ArrayList<>();

    static long encode(int opcode, int dst, int src, int off, int imm) {
        return (opcode & 0xffL) | (dst & 0xfL) << 8 | (src & 0xfL) << 12 | (off & 0xffffL) << 16
                | (imm & 0xffffffffL) << 32;
    }

    int size() {
        return size;
    }

    void emit(int opcode, int dst, int src, int off, int imm) {
        if (size == code.length) {
            code = Arrays.copyOf(code, size * 2);
        }
        code[size++] = encode(opcode, dst, src, off, imm);
    }

    int newLabel() {
        labels.add(-1);
        referenced.add(false);
        return labels.size() - 1;
    }

    void bind(int label) {
        if (labels.get(label) >= 0) {
            throw new IllegalStateException("label " + label + " bound twice");
        }
        labels.set(label, size);
    }

    boolean isReferenced(int label) {
        return referenced.get(label);
    }

    boolean isBound(int label) {
        return labels.get(label) >= 0;
    }

    /** A jump to a label bound later; {@code op} is a jump operation, {@code cls} JMP or JMP32. */
    void jump(int cls, int op, int dst, int src, int imm, int label) {
        if (isBound(label)) {
            throw new IllegalStateException("backward jump to label " + label);
        }
        referenced.set(label, true);
        fixups.add(new int[] {size, label});
        emit(cls | op | (op == JA ? 0 : src >= 0 ? X : K), dst, Math.max(src, 0), 0, imm);
    }

    /** Conditional jump comparing {@code dst} with the immediate. */
    void jumpImm(int cls, int op, int dst, int imm, int label) {
        jump(cls, op, dst, -1, imm, label);
    }

    /** Conditional jump comparing {@code dst} with register {@code src}. */
    void jumpReg(int cls, int op, int dst, int src, int label) {
        jump(cls, op, dst, src, 0, label);
    }

    void goTo(int label) {
        jump(JMP, JA, 0, -1, 0, label);
    }

    /** The code as little-endian bytes, jumps resolved. */
    byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(size * 8).order(ByteOrder.LITTLE_ENDIAN);
        long[] resolved = Arrays.copyOf(code, size);
        for (int[] fixup : fixups) {
            int target = labels.get(fixup[1]);
            if (target < 0) {
                throw new IllegalStateException("jump at " + fixup[0] + " to unbound label " + fixup[1]);
            }
            int offset = target - fixup[0] - 1;
            if (offset > Short.MAX_VALUE) {
                throw new FilterTooComplexException("too complex: needs " + size + " instructions and "
                        + "jumps over " + offset + " of them, eBPF jumps span at most " + Short.MAX_VALUE
                        + "; simplify the expression");
            }
            resolved[fixup[0]] = resolved[fixup[0]] & ~(0xffffL << 16) | (offset & 0xffffL) << 16;
        }
        for (long insn : resolved) {
            out.putLong(insn);
        }
        return out.array();
    }
}
