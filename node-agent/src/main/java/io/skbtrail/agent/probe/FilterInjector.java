package io.skbtrail.agent.probe;

import io.skbtrail.filter.CompiledFilter;
import io.skbtrail.filter.FilterProgram;

/**
 * Puts a compiled pcap filter into the placeholder functions of a BPF object before it is opened
 * (see bpf/include/filter.h for the technique and the calling convention), and shortens each
 * placeholder to the filter's own size.
 *
 * <p>Shortening matters for arming time: libbpf appends a called function's instructions to every
 * program that calls it, and the kernel copies and walks each program whole. With the 4,096-slot
 * placeholders kept at full length every probe program carried ~8,200 padding instructions, which cost
 * about a third of the load time even though the verifier never walks the padding's paths.
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
        int room = function.size() / INSN;
        // toStub refuses a filter larger than the room, with the message the user sees
        elf.overwriteAndShorten(function, program.toStub(Math.min(room, program.stubInstructions())));
    }
}
