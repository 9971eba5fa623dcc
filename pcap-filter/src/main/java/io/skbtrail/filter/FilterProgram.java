package io.skbtrail.filter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A filter for one link type, translated to an eBPF subprogram (see {@link PcapFilterCompiler} for its calling
 * convention). Immutable.
 */
public final class FilterProgram {

    private static final int INSN_SIZE = 8;
    /** {@code ja +0}: a no-op the verifier removes. */
    private static final long NOP = EbpfAssembler.encode(EbpfAssembler.JMP | EbpfAssembler.JA, 0, 0, 0, 0);
    private static final long EXIT = EbpfAssembler.encode(EbpfAssembler.JMP | EbpfAssembler.EXIT, 0, 0, 0, 0);
    /** Instructions before the generated code in {@link #toStub}. */
    public static final int PROLOGUE = 4;

    private final List<CbpfInsn> cbpf;
    private final byte[] ebpf;
    private final Boolean constant; // null: depends on the packet

    private FilterProgram(List<CbpfInsn> cbpf, byte[] ebpf, Boolean constant) {
        this.cbpf = List.copyOf(cbpf);
        this.ebpf = ebpf;
        this.constant = constant;
    }

    /** A program that accepts every packet ({@code r0 = 1; exit}). */
    static FilterProgram matchAll(List<CbpfInsn> cbpf) {
        return new FilterProgram(cbpf, constantCode(1), Boolean.TRUE);
    }

    /** A program that accepts no packet ({@code r0 = 0; exit}). */
    static FilterProgram rejectAll(List<CbpfInsn> cbpf) {
        return new FilterProgram(cbpf, constantCode(0), Boolean.FALSE);
    }

    /** Translates a libpcap program; one that is a lone return becomes match-all or reject-all. */
    static FilterProgram of(List<CbpfInsn> cbpf) {
        if (cbpf.size() == 1 && cbpf.get(0).opcode() == (CbpfInsn.RET | CbpfInsn.K)) {
            return cbpf.get(0).k() != 0 ? matchAll(cbpf) : rejectAll(cbpf);
        }
        return new FilterProgram(cbpf, CbpfTranslator.translate(cbpf), null);
    }

    /** True if no packet can match (e.g. an Ethernet-only expression compiled for raw IP). */
    public boolean rejectsAll() {
        return Boolean.FALSE.equals(constant);
    }

    /** True if every packet matches (a blank expression, or one libpcap reduced to "accept"). */
    public boolean matchesAll() {
        return Boolean.TRUE.equals(constant);
    }

    /** The cBPF program libpcap produced; empty when there was none (blank expression, compile refused). */
    public List<CbpfInsn> cbpf() {
        return cbpf;
    }

    /** The generated eBPF instructions, without padding, 8 little-endian bytes each; the last is {@code exit}. */
    public byte[] ebpf() {
        return ebpf.clone();
    }

    /** Number of eBPF instructions in {@link #ebpf()}. */
    public int instructionCount() {
        return ebpf.length / INSN_SIZE;
    }

    /** Instructions of the smallest stub: {@link #PROLOGUE}, the code, and the final {@code exit}. */
    public int stubInstructions() {
        return instructionCount() + PROLOGUE + 1;
    }

    /**
     * The code sized to a placeholder function of {@code slots} instructions:
     * <pre>
     *   0: r0 = 0
     *   1: if r0 != 0 goto pad      never taken, and the verifier knows it: the padding stays reachable
     *                               for its CFG check, is never walked, and is removed as dead code, so
     *                               it costs no run time (the agent asks for {@link #stubInstructions()}
     *                               slots, no padding, so that the kernel need not copy and scan it)
     *   2: if r1 != 0 goto +1       the placeholder is a global function, whose pointer argument the
     *   3: exit                     verifier treats as possibly NULL: no scratch, no match (r0 = 0)
     *   4: the generated code, ending in exit
     * pad: ja +0 … exit
     * </pre>
     *
     * @return exactly {@code slots * 8} bytes
     * @throws FilterTooComplexException when the code and its frame need more than {@code slots} instructions
     */
    public byte[] toStub(int slots) {
        int code = instructionCount();
        int needed = stubInstructions();
        if (needed > slots) {
            throw new FilterTooComplexException("filter too complex: needs " + needed
                    + " instructions, the program has room for " + slots + "; simplify the expression");
        }
        ByteBuffer stub = ByteBuffer.allocate(slots * INSN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        stub.putLong(EbpfAssembler.encode(EbpfAssembler.ALU64 | EbpfAssembler.MOV | EbpfAssembler.K, 0, 0, 0, 0));
        stub.putLong(EbpfAssembler.encode(EbpfAssembler.JMP | EbpfAssembler.JNE | EbpfAssembler.K, 0, 0,
                PROLOGUE - 2 + code, 0));
        stub.putLong(EbpfAssembler.encode(EbpfAssembler.JMP | EbpfAssembler.JNE | EbpfAssembler.K, 1, 0, 1, 0));
        stub.putLong(EXIT);
        stub.put(ebpf);
        while (stub.position() < stub.capacity() - INSN_SIZE) {
            stub.putLong(NOP);
        }
        return stub.putLong(EXIT).array();
    }

    @Override
    public String toString() {
        String kind = matchesAll() ? "match all" : rejectsAll() ? "reject all" : "filter";
        return "FilterProgram[" + kind + ", " + cbpf.size() + " cBPF -> " + instructionCount() + " eBPF instructions]";
    }

    private static byte[] constantCode(int value) {
        return ByteBuffer.allocate(2 * INSN_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(EbpfAssembler.encode(EbpfAssembler.ALU64 | EbpfAssembler.MOV | EbpfAssembler.K, 0, 0, 0,
                        value))
                .putLong(EbpfAssembler.encode(EbpfAssembler.JMP | EbpfAssembler.EXIT, 0, 0, 0, 0))
                .array();
    }
}
