package io.skbtrail.filter;

import static io.skbtrail.filter.CbpfInsn.*;

import java.util.List;

/**
 * Control and data flow facts about a cBPF program that the translation needs: which instructions are
 * reachable (the verifier rejects unreachable eBPF code), which of A, X and M[] may be read before any write
 * (the verifier rejects reads of uninitialized registers and stack; cBPF starts them at 0), and which inputs
 * are used at all. Validates the program on the way: jumps must go forward and stay inside it.
 */
final class CbpfFlow {

    // Definedness bits: A, X, then one per M[] word.
    private static final int BIT_A = 1, BIT_X = 2, MEM_SHIFT = 2;

    final boolean[] reachable;
    /** Index of the last reachable instruction: a return (or a constant division by zero, which returns 0). */
    final int last;
    /** Bits of A, X and M[] that some path reads before writing: to be zeroed in the prologue. */
    private final int readBeforeWrite;
    final boolean loadsPacket;
    final boolean readsWireLen;

    private CbpfFlow(boolean[] reachable, int last, int readBeforeWrite, boolean loadsPacket, boolean readsWireLen) {
        this.reachable = reachable;
        this.last = last;
        this.readBeforeWrite = readBeforeWrite;
        this.loadsPacket = loadsPacket;
        this.readsWireLen = readsWireLen;
    }

    boolean needsZeroA() {
        return (readBeforeWrite & BIT_A) != 0;
    }

    boolean needsZeroX() {
        return (readBeforeWrite & BIT_X) != 0;
    }

    boolean needsZeroMem(int word) {
        return (readBeforeWrite & (1 << (MEM_SHIFT + word))) != 0;
    }

    /** The index a jump at {@code pc} goes to when skipping {@code skip} instructions. */
    static int target(int pc, long skip) {
        return (int) Math.max(-1, Math.min(Integer.MAX_VALUE, pc + 1 + skip));
    }

    static CbpfFlow analyze(List<CbpfInsn> program) {
        int n = program.size();
        if (n == 0) {
            throw new FilterException("empty cBPF program");
        }
        boolean[] reachable = new boolean[n];
        int[] defined = new int[n]; // meet (AND) over the reaching paths
        reachable[0] = true;
        int readBeforeWrite = 0;
        boolean packet = false, wireLen = false;
        int last = 0;
        for (int pc = 0; pc < n; pc++) {
            if (!reachable[pc]) {
                continue;
            }
            last = pc;
            CbpfInsn insn = program.get(pc);
            validate(insn, pc);
            int reads = reads(insn);
            int writes = writes(insn);
            readBeforeWrite |= reads & ~defined[pc];
            // Zeroed words count as written from the start, so once flagged a bit is defined on every path.
            int out = defined[pc] | reads | writes;
            packet |= isPacketLoad(insn);
            wireLen |= insn.mode() == LEN && (insn.cls() == LD || insn.cls() == LDX);
            for (int next : successors(insn, pc)) {
                if (next <= pc) {
                    throw new FilterTooComplexException("instruction " + pc + " (" + insn + ") jumps backward: "
                            + "loops (e.g. protochain) are not supported");
                }
                if (next >= n) {
                    throw new FilterTooComplexException("instruction " + pc + " (" + insn
                            + ") leaves the program: only forward jumps to a return are supported");
                }
                defined[next] = reachable[next] ? defined[next] & out : out;
                reachable[next] = true;
            }
        }
        return new CbpfFlow(reachable, last, readBeforeWrite, packet, wireLen);
    }

    private static boolean isPacketLoad(CbpfInsn insn) {
        int mode = insn.mode();
        return insn.cls() == LD && (mode == ABS || mode == IND) || insn.cls() == LDX && mode == MSH;
    }

    private static int[] successors(CbpfInsn insn, int pc) {
        return switch (insn.cls()) {
            case RET -> new int[0];
            case JMP -> insn.op() == JA
                    ? new int[] {target(pc, insn.k())}
                    : new int[] {target(pc, insn.jtOffset()), target(pc, insn.jfOffset())};
            // A constant division by zero always makes cBPF return 0: translated as a return.
            case ALU -> !insn.sourceX() && insn.k() == 0 && (insn.op() == DIV || insn.op() == MOD)
                    ? new int[0]
                    : new int[] {pc + 1};
            default -> new int[] {pc + 1};
        };
    }

    /** Exactly the opcodes libpcap's interpreter ({@code bpf_filter}) executes. */
    static boolean supported(int opcode) {
        if (opcode > 0xff) {
            return false;
        }
        int sizeMode = opcode & 0xf8;
        return switch (opcode & 0x07) {
            case LD -> sizeMode == IMM || sizeMode == MEM || sizeMode == LEN
                    || (opcode & 0x18) != 0x18 && ((opcode & 0xe0) == ABS || (opcode & 0xe0) == IND);
            case LDX -> sizeMode == IMM || sizeMode == MEM || sizeMode == LEN || sizeMode == (B | MSH);
            case ST, STX -> sizeMode == 0;
            case ALU -> (opcode & 0xf0) <= XOR && ((opcode & 0xf0) != NEG || (opcode & X) == 0);
            case JMP -> opcode == (JMP | JA) || (opcode & 0xf0) >= JEQ && (opcode & 0xf0) <= JSET;
            case RET -> sizeMode == K || sizeMode == RET_A;
            default -> sizeMode == TAX || sizeMode == TXA;
        };
    }

    private static void validate(CbpfInsn insn, int pc) {
        if (!supported(insn.opcode())) {
            throw new FilterException("instruction " + pc + " has an unsupported cBPF opcode 0x"
                    + Integer.toHexString(insn.opcode()) + " (" + insn + ")");
        }
        boolean memoryWord = insn.cls() == ST || insn.cls() == STX
                || (insn.cls() == LD || insn.cls() == LDX) && insn.mode() == MEM;
        if (memoryWord && insn.uk() >= MEMWORDS) {
            throw new FilterException("instruction " + pc + " (" + insn + ") addresses M[" + insn.uk()
                    + "]: cBPF has " + MEMWORDS + " memory words");
        }
    }

    private static int memBit(CbpfInsn insn) {
        return 1 << (MEM_SHIFT + insn.k());
    }

    private static int reads(CbpfInsn insn) {
        return switch (insn.cls()) {
            case LD -> insn.mode() == IND ? BIT_X : insn.mode() == MEM ? memBit(insn) : 0;
            case LDX -> insn.mode() == MEM ? memBit(insn) : 0;
            case ST -> BIT_A;
            case STX -> BIT_X;
            case ALU, JMP -> insn.cls() == JMP && insn.op() == JA ? 0
                    : insn.sourceX() ? BIT_A | BIT_X : BIT_A;
            case RET -> (insn.code() & 0x18) == RET_A ? BIT_A : 0;
            default -> (insn.code() & 0xf8) == TAX ? BIT_A : BIT_X;
        };
    }

    private static int writes(CbpfInsn insn) {
        return switch (insn.cls()) {
            case LD, ALU -> BIT_A;
            case LDX -> BIT_X;
            case ST, STX -> memBit(insn);
            case MISC -> (insn.code() & 0xf8) == TAX ? BIT_X : BIT_A;
            default -> 0;
        };
    }
}
