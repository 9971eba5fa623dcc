package io.skbtrail.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.probe.tracepoint.TracepointCatalog;
import io.skbtrail.filter.CompiledFilter;
import io.skbtrail.filter.PcapFilterCompiler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class FilterInjectorTest {
    private static final byte[] OBJECT = BpfObjects.read("tracepoint.bpf.o");

    @Test
    void injectionChangesOnlyThePlaceholders() {
        ElfImage elf = new ElfImage(OBJECT);
        CompiledFilter filter = PcapFilterCompiler.compile("arp");
        int flags = FilterInjector.inject(elf, filter);
        assertEquals(ProbeConfig.FLAG_PCAP | ProbeConfig.FLAG_PCAP_L3_NONE, flags, "arp needs the Ethernet header");
        byte[] patched = elf.bytes();
        ElfImage.Function l2 = elf.function(FilterInjector.L2_PLACEHOLDER);
        ElfImage.Function l3 = elf.function(FilterInjector.L3_PLACEHOLDER);
        assertTrue(l2.size() >= 4096 * 8, "room for 4096 instructions");
        for (int i = 0; i < OBJECT.length; i++) {
            boolean inPlaceholder = (i >= l2.fileOffset() && i < l2.fileOffset() + l2.size())
                    || (i >= l3.fileOffset() && i < l3.fileOffset() + l3.size());
            if (!inPlaceholder && OBJECT[i] != patched[i]) {
                throw new AssertionError("byte " + i + " outside the placeholders changed");
            }
        }
        assertEquals(TracepointCatalog.ALL.size(), TracepointCatalog.ALL.stream().map(t -> t.program()).distinct().count());
    }

    @Test
    void blankExpressionNeedsNoFilter() {
        assertEquals(0, FilterInjector.inject(new ElfImage(OBJECT), PcapFilterCompiler.compile("")));
    }
}
