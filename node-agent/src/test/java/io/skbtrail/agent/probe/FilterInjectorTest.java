package io.skbtrail.agent.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.probe.tracepoint.TracepointCatalog;
import io.skbtrail.filter.CompiledFilter;
import io.skbtrail.filter.FilterTooComplexException;
import io.skbtrail.filter.PcapFilterCompiler;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class FilterInjectorTest {
    private static final byte[] OBJECT = BpfObjects.read("tracepoint.bpf.o");

    @Test
    void injectionChangesOnlyThePlaceholdersAndShortensThemToTheFilter() {
        ElfImage elf = new ElfImage(OBJECT);
        ElfImage.Function l2Room = elf.function(FilterInjector.L2_PLACEHOLDER);
        ElfImage.Function l3Room = elf.function(FilterInjector.L3_PLACEHOLDER);
        assertTrue(l2Room.size() >= 4096 * 8, "room for 4096 instructions");
        CompiledFilter filter = PcapFilterCompiler.compile("arp");
        int flags = FilterInjector.inject(elf, filter);
        assertEquals(ProbeConfig.FLAG_PCAP | ProbeConfig.FLAG_PCAP_L3_NONE, flags, "arp needs the Ethernet header");
        byte[] patched = elf.bytes();
        ElfImage.Function l2 = elf.function(FilterInjector.L2_PLACEHOLDER);
        ElfImage.Function l3 = elf.function(FilterInjector.L3_PLACEHOLDER);
        assertEquals(l2Room.fileOffset(), l2.fileOffset(), "the function still starts where calls point");
        assertEquals(filter.l2().stubInstructions() * 8, l2.size(), "only the filter is left to load");
        assertEquals(filter.l3().stubInstructions() * 8, l3.size());
        assertArrayEquals(filter.l2().toStub(filter.l2().stubInstructions()),
                Arrays.copyOfRange(patched, l2.fileOffset(), l2.fileOffset() + l2.size()));
        for (int i = 0; i < OBJECT.length; i++) {
            boolean inPlaceholder = within(i, l2Room.fileOffset(), l2Room.size())
                    || within(i, l3Room.fileOffset(), l3Room.size());
            boolean symbolSize = within(i, l2.symbolOffset() + 16, 8) || within(i, l3.symbolOffset() + 16, 8);
            if (!inPlaceholder && !symbolSize && OBJECT[i] != patched[i]) {
                throw new AssertionError("byte " + i + " outside the placeholders and their sizes changed");
            }
        }
        assertEquals(TracepointCatalog.ALL.size(), TracepointCatalog.ALL.stream().map(t -> t.program()).distinct().count());
    }

    @Test
    void aFilterLargerThanThePlaceholderIsRefusedWithTheRoomItHas() {
        // 300 byte tests that libpcap cannot merge: ~4,200 instructions, each variant
        StringBuilder expression = new StringBuilder("ip[0] != 0");
        for (int i = 1; i < 300; i++) {
            expression.append(" and ip[").append(i).append("] != ").append(i % 256);
        }
        CompiledFilter filter = PcapFilterCompiler.compile(expression.toString());
        ElfImage elf = new ElfImage(OBJECT);
        int room = elf.function(FilterInjector.L2_PLACEHOLDER).size() / 8;
        FilterTooComplexException e = assertThrows(FilterTooComplexException.class, () -> FilterInjector.inject(elf, filter));
        assertTrue(e.getMessage().contains("the program has room for " + room), e.getMessage());
        assertArrayEquals(OBJECT, elf.bytes(), "nothing changed");
    }

    private static boolean within(int i, int start, int length) {
        return i >= start && i < start + length;
    }

    @Test
    void blankExpressionNeedsNoFilter() {
        assertEquals(0, FilterInjector.inject(new ElfImage(OBJECT), PcapFilterCompiler.compile("")));
    }
}
