package io.skbtrail.agent.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.probe.tracepoint.TracepointCatalog;
import io.skbtrail.filter.CompiledFilter;
import io.skbtrail.filter.FilterTooComplexException;
import io.skbtrail.filter.PcapFilterCompiler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class FilterInjectorTest {
    private static final byte[] OBJECT = BpfObjects.read("tracepoint.bpf.o");

    @Test
    void layoutGuardsNullAndJumpsOverTheCode() {
        byte[] code = PcapFilterCompiler.compile("tcp").l3().ebpf();
        int n = code.length / 8;
        ByteBuffer b = ByteBuffer.wrap(FilterInjector.layout(code, 64)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(64 * 8, b.capacity());
        assertEquals(0xb7, b.get(0) & 0xff, "r0 = 0");
        assertEquals(0x55, b.get(8) & 0xff, "if r0 != 0 goto padding");
        assertEquals(2 + n, b.getShort(8 + 2), "the never-taken branch lands on the padding");
        assertEquals(0x55, b.get(16) & 0xff, "if r1 != 0: the scratch pointer is checked");
        assertEquals(0x95, b.get(24) & 0xff, "exit with r0 = 0");
        assertArrayEquals(code, Arrays.copyOfRange(b.array(), 32, 32 + code.length));
        for (int i = 4 + n; i < 63; i++) {
            assertEquals(0x05, b.get(i * 8) & 0xff, "padding is ja +0");
        }
        assertEquals(0x95, b.get(63 * 8) & 0xff, "the padding ends in exit");
    }

    @Test
    void tooLargeFilterIsAClearError() {
        byte[] code = new byte[8 * 100];
        FilterTooComplexException e = assertThrows(FilterTooComplexException.class, () -> FilterInjector.layout(code, 64));
        assertTrue(e.getMessage().contains("needs 105 instructions") && e.getMessage().contains("room for 64"),
                e.getMessage());
    }

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
