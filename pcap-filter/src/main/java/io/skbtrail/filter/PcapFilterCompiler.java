package io.skbtrail.filter;

import io.skbtrail.filter.libpcap.Libpcap;
import io.skbtrail.filter.libpcap.PcapCompileException;
import java.util.List;

/**
 * Compiles tcpdump/pcap-filter expressions into eBPF subprograms for tracing programs (kprobe, tp_btf), which
 * read packet bytes from kernel memory.
 *
 * <p>libpcap compiles the expression to classic BPF for Ethernet (L2) and raw IP (L3) packets; each program
 * is then translated to eBPF that replaces a {@code static __noinline} placeholder function, called as a
 * BPF-to-BPF subprogram with:
 * <ul>
 *   <li>r1 = scratch: pointer to a map value of at least 256 bytes whose first cached_len bytes are a copy of
 *       the packet from its start;
 *   <li>r2 = kernel address of the packet start;
 *   <li>r3 = linear_len (u32): bytes readable from that address; loads at or past it do not match;
 *   <li>r4 = wire_len (u32): the packet length the expression sees ({@code len}, {@code less}, {@code greater});
 *   <li>r5 = cached_len (u32) = min(linear_len, 256).
 * </ul>
 * It returns r0 = 1 on match and 0 otherwise, uses at most {@value #STACK_BYTES} bytes of its own stack, and
 * calls only {@code bpf_probe_read_kernel} (for bytes past the cached copy). It needs BPF_JMP32 (Linux 5.1).
 *
 * <p>The placeholder's C body must use all five arguments: clang drops unused arguments of static functions,
 * and the verifier then refuses the generated code's reads of registers the caller never set.
 *
 * <p>Typical use: {@code PcapFilterCompiler.compile("tcp and dst port 8080").l2().toStub(slots)}, where
 * {@code slots} is the placeholder's ELF symbol size / 8.
 */
public final class PcapFilterCompiler {

    /** Stack bytes the generated subprogram uses at most. */
    public static final int STACK_BYTES = CbpfTranslator.STACK_BYTES;
    /** Bytes of the scratch map value the subprogram may read. */
    public static final int SCRATCH_BYTES = CbpfTranslator.SCRATCH_SIZE;

    private PcapFilterCompiler() {
    }

    /**
     * Compiles {@code expression} for L2 and L3. A blank (or null) expression matches every packet.
     *
     * @throws FilterSyntaxException when libpcap rejects the expression for Ethernet
     * @throws FilterTooComplexException when the program uses loops (protochain)
     * @throws FilterException for cBPF the translation does not know
     * @throws IllegalStateException when libpcap is not installed
     */
    public static CompiledFilter compile(String expression) {
        if (expression == null || expression.isBlank()) {
            FilterProgram all = FilterProgram.matchAll(List.of());
            return new CompiledFilter(expression == null ? "" : expression, all, all);
        }
        FilterProgram l2;
        try {
            l2 = translate(expression, CbpfInsn.decode(Libpcap.compile(Libpcap.DLT_EN10MB, expression)));
        } catch (PcapCompileException e) {
            throw new FilterSyntaxException(expression, e.getMessage());
        }
        List<CbpfInsn> l3;
        try {
            l3 = CbpfInsn.decode(Libpcap.compile(Libpcap.DLT_RAW, expression));
        } catch (PcapCompileException e) {
            // Valid for Ethernet only ("arp", "ether host", "vlan"): no packet seen from its IP header can match.
            return new CompiledFilter(expression, l2, FilterProgram.rejectAll(List.of()));
        }
        return new CompiledFilter(expression, l2, translate(expression, l3));
    }

    private static FilterProgram translate(String expression, List<CbpfInsn> cbpf) {
        try {
            return FilterProgram.of(cbpf);
        } catch (FilterTooComplexException e) {
            throw new FilterTooComplexException("filter " + FilterException.quote(expression) + ": " + e.getMessage());
        } catch (FilterException e) {
            throw new FilterException("filter " + FilterException.quote(expression) + ": " + e.getMessage(), e);
        }
    }
}
