package io.skbtrail.agent.probe;

import io.skbtrail.filter.CompiledFilter;
import io.skbtrail.filter.FilterProgram;
import io.skbtrail.filter.FilterTooComplexException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Puts a compiled pcap filter into the placeholder functions of a BPF object before it is opened
 * (see bpf/include/filter.h for the technique and the calling convention).
 */
final class FilterInjector {
    static final String L2_PLACEHOLDER = "filter_pcap_l2";
    static final String L3_PLACEHOLDER = "filter_pcap_l3";
    private static final int INSN = 8;

    private FilterInjector() {}

    /**
     * Overwrites both placeholders.
     *
     * @return the config flags that go with the filter ({@link ProbeConfig#FLAG_PCAP},
     *     {@link ProbeConfig#FLAG_PCAP_L3_NONE})
     */
    static int inject(ElfImage elf, CompiledFilter filter) {
        if (filter.matchesAll()) {
            write(elf, L2_PLACEHOLDER, filter.l2());
            write(elf, L3_PLACEHOLDER, filter.l3());
            return 0;
        }
        write(elf, L2_PLACEHOLDER, filter.l2());
        write(elf, L3_PLACEHOLDER, filter.l3());
        return ProbeConfig.FLAG_PCAP | (filter.l3().rejectsAll() ? ProbeConfig.FLAG_PCAP_L3_NONE : 0);
    }

    private static void write(ElfImage elf, String placeholder, FilterProgram program) {
        ElfImage.Function function = elf.function(placeholder);
        elf.overwrite(function, layout(program.ebpf(), function.size() / INSN));
    }

    /**
     * The placeholder's new body, {@code slots} instructions:
     * <pre>
     *   0: r0 = 0
     *   1: if r0 != 0 goto pad      never taken, and the verifier knows it: the padding stays reachable
     *                               for the CFG check, is never walked, and is removed as dead code, so
     *                               none of it runs or costs verification time
     *   2: if r1 != 0 goto +1       a global function's pointer argument may be NULL for the verifier
     *   3: exit                     (r0 = 0: no match)
     *   4: generated code, ending in exit
     * pad: ja +0 … exit
     * </pre>
     */
    static byte[] layout(byte[] code, int slots) {
        int n = code.length / INSN;
        int padding = slots - PROLOGUE - n;
        if (padding < 1) {
            throw new FilterTooComplexException("filter too complex: needs " + (n + PROLOGUE + 1)
                    + " instructions, the program has room for " + slots + "; simplify the expression");
        }
        ByteBuffer out = ByteBuffer.allocate(slots * INSN).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(insn(BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, 0));
        out.putLong(insn(BPF_JMP | BPF_JNE | BPF_K, R0, 0, PROLOGUE - 2 + n, 0));
        out.putLong(insn(BPF_JMP | BPF_JNE | BPF_K, R1, 0, 1, 0));
        out.putLong(insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
        out.put(code);
        for (int i = 0; i < padding - 1; i++) {
            out.putLong(insn(BPF_JMP | BPF_JA, 0, 0, 0, 0));
        }
        out.putLong(insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
        return out.array();
    }

    private static final int PROLOGUE = 4;
    private static final int BPF_JMP = 0x05;
    private static final int BPF_ALU64 = 0x07;
    private static final int BPF_K = 0x00;
    private static final int BPF_JA = 0x00;
    private static final int BPF_JNE = 0x50;
    private static final int BPF_MOV = 0xb0;
    private static final int BPF_EXIT = 0x90;
    private static final int R1 = 1;
    private static final int R0 = 0;

    private static long insn(int opcode, int dst, int src, int off, int imm) {
        return (opcode & 0xffL) | ((long) (dst | (src << 4)) & 0xff) << 8 | ((long) off & 0xffff) << 16
                | ((long) imm) << 32;
    }
}
