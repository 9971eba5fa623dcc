package io.skbtrail.agent.probe;

import io.skbtrail.filter.CompiledFilter;
import io.skbtrail.filter.FilterProgram;

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
        elf.overwrite(function, program.toStub(function.size() / INSN));
    }
}
