package io.skbtrail.filter;

import static io.skbtrail.filter.EbpfAssembler.*;

import java.util.List;

/**
 * Translates a cBPF program into an eBPF subprogram for tracing programs, where packet bytes are kernel
 * memory rather than a socket buffer the program can read directly.
 *
 * <p>Calling convention: r1 = scratch (map value, at least 256 bytes, its first cached_len bytes a copy of
 * the packet), r2 = packet address in the kernel, r3 = linear_len (bytes readable from the packet: cBPF's
 * buflen), r4 = wire_len (cBPF's packet length), r5 = cached_len = min(linear_len, 256). The lengths are
 * used as u32. Returns r0 = 1 on match, 0 otherwise.
 *
 * <p>Registers: r6 = A, r7 = X (both always zero-extended u32), r8 = scratch, r9 = cached_len; r6-r9 survive
 * helper calls, r0-r5 are temporaries. cBPF semantics kept: a load at or past linear_len, a failed kernel read
 * and a division by zero all make the filter return 0.
 */
final class CbpfTranslator {

    private static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;
    private static final int A = 6, X_REG = 7, SCRATCH = 8, CACHED = 9, FP = 10;

    /** Stack frame, as offsets from r10. The verifier insists on naturally aligned stack accesses. */
    private static final int PROBE_BUF = -8, PKT = -16, LINEAR_LEN = -20, WIRE_LEN = -24, MEM_BASE = -88;
    /** Stack bytes the subprogram uses at most: probe buffer, spilled arguments, M[0..15]. */
    static final int STACK_BYTES = -MEM_BASE;
    /** Size of the part of the scratch map value that may hold packet bytes. */
    static final int SCRATCH_SIZE = 256;
    /** {@code long bpf_probe_read_kernel(void *dst, u32 size, const void *unsafe_ptr)}. */
    static final int BPF_FUNC_PROBE_READ_KERNEL = 113;

    private final List<CbpfInsn> program;
    private final CbpfFlow flow;
    private final EbpfAssembler asm = new EbpfAssembler();
    private final int[] labels;
    private final int ret0 = asm.newLabel();
    private final int ret1 = asm.newLabel();

    private CbpfTranslator(List<CbpfInsn> program) {
        this.program = program;
        this.flow = CbpfFlow.analyze(program);
        this.labels = new int[program.size()];
        for (int pc = 0; pc < labels.length; pc++) {
            labels[pc] = asm.newLabel();
        }
    }

    /** The eBPF code, little-endian, ending in {@code exit}. */
    static byte[] translate(List<CbpfInsn> program) {
        return new CbpfTranslator(program).run();
    }

    private byte[] run() {
        prologue();
        for (int pc = 0; pc < program.size(); pc++) {
            if (flow.reachable[pc]) {
                asm.bind(labels[pc]);
                translate(pc, program.get(pc));
            }
        }
        for (int match = 1; match >= 0; match--) {
            int label = match == 1 ? ret1 : ret0;
            if (asm.isReferenced(label) && !asm.isBound(label)) {
                asm.bind(label);
                returnValue(match);
            }
        }
        return asm.toBytes();
    }

    private void prologue() {
        if (flow.loadsPacket) {
            asm.emit(ALU64 | MOV | X, SCRATCH, R1, 0, 0);
            asm.emit(ALU | MOV | X, CACHED, R5, 0, 0);
            asm.emit(STX | DW | MEM, FP, R2, PKT, 0);
            asm.emit(STX | W | MEM, FP, R3, LINEAR_LEN, 0);
        }
        if (flow.readsWireLen) {
            asm.emit(STX | W | MEM, FP, R4, WIRE_LEN, 0);
        }
        // cBPF starts with A = X = 0; the verifier refuses reads of registers and stack never written.
        if (flow.needsZeroA()) {
            asm.emit(ALU | MOV | K, A, 0, 0, 0);
        }
        if (flow.needsZeroX()) {
            asm.emit(ALU | MOV | K, X_REG, 0, 0, 0);
        }
        for (int word = 0; word < CbpfInsn.MEMWORDS; word++) {
            if (flow.needsZeroMem(word)) {
                asm.emit(ST | W | MEM, FP, 0, memSlot(word), 0);
            }
        }
    }

    private void translate(int pc, CbpfInsn insn) {
        switch (insn.cls()) {
            case CbpfInsn.LD -> load(A, insn);
            case CbpfInsn.LDX -> load(X_REG, insn);
            case CbpfInsn.ST -> asm.emit(STX | W | MEM, FP, A, memSlot(insn.k()), 0);
            case CbpfInsn.STX -> asm.emit(STX | W | MEM, FP, X_REG, memSlot(insn.k()), 0);
            case CbpfInsn.ALU -> alu(pc, insn);
            case CbpfInsn.JMP -> jump(pc, insn);
            case CbpfInsn.RET -> {
                if ((insn.code() & 0x18) == CbpfInsn.RET_A) {
                    asm.jumpImm(JMP32, JEQ, A, 0, ret0);
                    ret(pc, true);
                } else {
                    ret(pc, insn.k() != 0);
                }
            }
            default -> {
                boolean tax = (insn.code() & 0xf8) == CbpfInsn.TAX;
                asm.emit(ALU | MOV | X, tax ? X_REG : A, tax ? A : X_REG, 0, 0);
            }
        }
    }

    private void load(int dst, CbpfInsn insn) {
        switch (insn.mode()) {
            case CbpfInsn.IMM -> asm.emit(ALU | MOV | K, dst, 0, 0, insn.k());
            case CbpfInsn.MEM -> asm.emit(LDX | W | MEM, dst, FP, memSlot(insn.k()), 0);
            case CbpfInsn.LEN -> asm.emit(LDX | W | MEM, dst, FP, WIRE_LEN, 0);
            case CbpfInsn.ABS -> packetLoad(dst, insn.loadSize(), insn.uk(), false);
            case CbpfInsn.IND -> packetLoad(dst, insn.loadSize(), insn.uk(), true);
            case CbpfInsn.MSH -> {
                packetLoad(dst, 1, insn.uk(), false);
                asm.emit(ALU | CbpfInsn.AND | K, dst, 0, 0, 0xf);
                asm.emit(ALU | CbpfInsn.LSH | K, dst, 0, 0, 2);
            }
            default -> throw new IllegalStateException("unreachable: validated by CbpfFlow");
        }
    }

    /**
     * dst = the big-endian value of {@code size} packet bytes at k (+ X when indexed). Fast path: the copy in
     * scratch; slow path: bpf_probe_read_kernel into the stack.
     */
    private void packetLoad(int dst, int size, long k, boolean indexed) {
        int slow = asm.newLabel();
        int done = asm.newLabel();
        int width = size == 4 ? W : size == 2 ? H : B;
        if (indexed) {
            // r3 = X + k, r2 = r3 + size: 64-bit sums of u32 values, so they cannot wrap.
            asm.emit(ALU64 | MOV | X, R3, X_REG, 0, 0);
            addU32(R3, k);
            asm.emit(ALU64 | MOV | X, R2, R3, 0, 0);
            asm.emit(ALU64 | CbpfInsn.ADD | K, R2, 0, 0, size);
            asm.jumpReg(JMP, JGT, R2, CACHED, slow);
            // Never taken while cached_len <= 256, but this unsigned bound is what lets the verifier prove the
            // variable-offset access to the map value below stays inside it.
            asm.jumpImm(JMP, JGT, R3, SCRATCH_SIZE - size, slow);
            asm.emit(ALU64 | MOV | X, R1, SCRATCH, 0, 0);
            asm.emit(ALU64 | CbpfInsn.ADD | X, R1, R3, 0, 0);
            asm.emit(LDX | width | MEM, dst, R1, 0, 0);
            asm.goTo(done);
            asm.bind(slow);
            asm.emit(LDX | W | MEM, R1, FP, LINEAR_LEN, 0);
            asm.jumpReg(JMP, JGT, R2, R1, ret0);
            asm.emit(LDX | DW | MEM, R1, FP, PKT, 0);
            asm.emit(ALU64 | CbpfInsn.ADD | X, R3, R1, 0, 0);
        } else {
            long end = k + size;
            if (end <= SCRATCH_SIZE) {
                asm.jumpImm(JMP, JLT, CACHED, (int) end, slow);
                asm.emit(LDX | width | MEM, dst, SCRATCH, (int) k, 0);
                asm.goTo(done);
            }
            asm.bind(slow);
            asm.emit(LDX | W | MEM, R1, FP, LINEAR_LEN, 0);
            if (end <= Integer.MAX_VALUE) {
                asm.jumpImm(JMP, JLT, R1, (int) end, ret0);
            } else {
                asm.emit(ALU | MOV | K, R2, 0, 0, (int) k);
                asm.emit(ALU64 | CbpfInsn.ADD | K, R2, 0, 0, size);
                asm.jumpReg(JMP, JLT, R1, R2, ret0);
            }
            asm.emit(LDX | DW | MEM, R3, FP, PKT, 0);
            addU32(R3, k);
        }
        // bpf_probe_read_kernel(fp - 8, size, pkt + offset); a fault means no match.
        asm.emit(ALU64 | MOV | X, R1, FP, 0, 0);
        asm.emit(ALU64 | CbpfInsn.ADD | K, R1, 0, 0, PROBE_BUF);
        asm.emit(ALU64 | MOV | K, R2, 0, 0, size);
        asm.emit(JMP | CALL, 0, 0, 0, BPF_FUNC_PROBE_READ_KERNEL);
        asm.jumpImm(JMP, JNE, R0, 0, ret0);
        asm.emit(LDX | width | MEM, dst, FP, PROBE_BUF, 0);
        asm.bind(done);
        if (size > 1) {
            // Network to host order (to_be is a swap on little-endian hosts); also truncates to the width.
            asm.emit(ALU | END | TO_BE, dst, 0, 0, size * 8);
        }
    }

    /** reg += k for an unsigned 32-bit k; r2 is the temporary when k does not fit a sign-extended imm. */
    private void addU32(int reg, long k) {
        if (k == 0) {
            return;
        }
        if (k <= Integer.MAX_VALUE) {
            asm.emit(ALU64 | CbpfInsn.ADD | K, reg, 0, 0, (int) k);
        } else {
            asm.emit(ALU | MOV | K, R2, 0, 0, (int) k); // 32-bit mov zero-extends
            asm.emit(ALU64 | CbpfInsn.ADD | X, reg, R2, 0, 0);
        }
    }

    private void alu(int pc, CbpfInsn insn) {
        int op = insn.op();
        boolean division = op == CbpfInsn.DIV || op == CbpfInsn.MOD;
        if (op == CbpfInsn.NEG) {
            asm.emit(ALU | op, A, 0, 0, 0);
        } else if (insn.sourceX() && (op == CbpfInsn.LSH || op == CbpfInsn.RSH)) {
            // libpcap shifts by X >= 32 to 0; eBPF would take the count modulo 32.
            int shift = asm.newLabel();
            int done = asm.newLabel();
            asm.jumpImm(JMP32, JLT, X_REG, 32, shift);
            asm.emit(ALU | MOV | K, A, 0, 0, 0);
            asm.goTo(done);
            asm.bind(shift);
            asm.emit(ALU | op | X, A, X_REG, 0, 0);
            asm.bind(done);
        } else if (insn.sourceX()) {
            if (division) {
                // eBPF defines x/0 = 0 and x%0 = x; cBPF aborts with 0.
                asm.jumpImm(JMP32, JEQ, X_REG, 0, ret0);
            }
            asm.emit(ALU | op | X, A, X_REG, 0, 0);
        } else if (division && insn.k() == 0) {
            ret(pc, false);
        } else {
            // libpcap refuses constant shifts over 31; its interpreter, built for x86, takes them modulo 32.
            // The verifier rejects constant shifts of 32 or more.
            boolean shift = op == CbpfInsn.LSH || op == CbpfInsn.RSH;
            asm.emit(ALU | op | K, A, 0, 0, shift ? insn.k() & 31 : insn.k());
        }
    }

    private void jump(int pc, CbpfInsn insn) {
        int next = pc + 1;
        if (insn.op() == CbpfInsn.JA) {
            int target = CbpfFlow.target(pc, insn.k());
            if (target != next) {
                asm.goTo(labels[target]);
            }
            return;
        }
        int whenTrue = CbpfFlow.target(pc, insn.jtOffset());
        int whenFalse = CbpfFlow.target(pc, insn.jfOffset());
        int op = insn.op();
        if (whenTrue == whenFalse) {
            if (whenTrue != next) {
                asm.goTo(labels[whenTrue]);
            }
        } else if (whenTrue == next && op != CbpfInsn.JSET) {
            int inverse = op == CbpfInsn.JEQ ? JNE : op == CbpfInsn.JGT ? JLE : JLT;
            compare(insn, inverse, labels[whenFalse]);
        } else {
            compare(insn, op, labels[whenTrue]);
            if (whenFalse != next) {
                asm.goTo(labels[whenFalse]);
            }
        }
    }

    /** A 32-bit unsigned comparison of A with k or X. */
    private void compare(CbpfInsn insn, int op, int label) {
        if (insn.sourceX()) {
            asm.jumpReg(JMP32, op, A, X_REG, label);
        } else {
            asm.jumpImm(JMP32, op, A, insn.k(), label);
        }
    }

    /** Returns match/no match. The final cBPF return hosts its exit block in place: no jump needed. */
    private void ret(int pc, boolean match) {
        int label = match ? ret1 : ret0;
        if (pc == flow.last && !asm.isBound(label)) {
            asm.bind(label);
            returnValue(match ? 1 : 0);
        } else {
            asm.goTo(label);
        }
    }

    private void returnValue(int value) {
        asm.emit(ALU64 | MOV | K, R0, 0, 0, value);
        asm.emit(JMP | EXIT, 0, 0, 0, 0);
    }

    private static int memSlot(int word) {
        return MEM_BASE + 4 * word;
    }
}
