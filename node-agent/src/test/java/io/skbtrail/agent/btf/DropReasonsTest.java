package io.skbtrail.agent.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DropReasonsTest {

    @Test
    void namesWithoutPrefix() throws BtfException {
        DropReasons reasons = DropReasons.from(new MiniKernel().load());
        assertTrue(reasons.isAvailable());
        assertEquals("NOT_DROPPED_YET", reasons.name(0));
        assertEquals("CONSUMED", reasons.name(1));
        assertEquals("NOT_SPECIFIED", reasons.name(2));
        assertEquals("NO_SOCKET", reasons.name(3));
        assertEquals("NETFILTER_DROP", reasons.name(12));
        assertNull(reasons.name(4), "a value this kernel does not name");
        assertNull(reasons.name(13), "SKB_DROP_REASON_MAX is bookkeeping");
        assertNull(reasons.name(0xffff0000L), "SKB_DROP_REASON_SUBSYS_MASK is bookkeeping");
        assertEquals(List.of("NOT_DROPPED_YET", "CONSUMED", "NOT_SPECIFIED", "NO_SOCKET", "NETFILTER_DROP"),
                new ArrayList<>(reasons.all().values()));
    }

    @Test
    void realDrops() throws BtfException {
        DropReasons reasons = new MiniKernel().load().dropReasons();
        assertFalse(reasons.isRealDrop(0));
        assertFalse(reasons.isRealDrop(1));
        assertFalse(reasons.isRealDrop(2));
        assertTrue(reasons.isRealDrop(3));
        assertTrue(reasons.isRealDrop(12));
        assertTrue(reasons.isRealDrop(99), "unnamed values still report a drop");
    }

    @Test
    void absentBeforeLinux517() throws BtfException {
        BtfBlobBuilder b = new BtfBlobBuilder();
        b.intType("int", 4, 1, 32);
        DropReasons reasons = KernelBtf.parse("old", b.build(), null, null).dropReasons();
        assertFalse(reasons.isAvailable());
        assertNull(reasons.name(12));
        assertTrue(reasons.all().isEmpty());
        assertSame(DropReasons.absent(), reasons);
    }
}
