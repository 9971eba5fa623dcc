package io.skbtrail.filter.libpcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class LibpcapTest {

    private static byte[] insns(int... codeJtJfK) {
        ByteBuffer out = ByteBuffer.allocate(codeJtJfK.length / 4 * 8).order(ByteOrder.nativeOrder());
        for (int i = 0; i < codeJtJfK.length; i += 4) {
            out.putShort((short) codeJtJfK[i]).put((byte) codeJtJfK[i + 1]).put((byte) codeJtJfK[i + 2])
                    .putInt(codeJtJfK[i + 3]);
        }
        return out.array();
    }

    @Test
    void compilesForEthernetAndRawIp() {
        byte[] ethernet = Libpcap.compile(Libpcap.DLT_EN10MB, "udp");
        byte[] raw = Libpcap.compile(Libpcap.DLT_RAW, "udp");
        assertTrue(ethernet.length > 0 && ethernet.length % Libpcap.INSN_SIZE == 0);
        // Ethernet programs start with "ldh [12]" (the EtherType); raw IP ones look at the version nibble.
        assertEquals("(000) ldh      [12]", Libpcap.image(java.util.Arrays.copyOf(ethernet, 8), 0));
        assertEquals("(000) ldb      [0]", Libpcap.image(java.util.Arrays.copyOf(raw, 8), 0));
    }

    @Test
    void rejectionCarriesLibpcapsMessage() {
        PcapCompileException e = assertThrows(PcapCompileException.class,
                () -> Libpcap.compile(Libpcap.DLT_EN10MB, "udp and"));
        assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
        PcapCompileException l3 = assertThrows(PcapCompileException.class,
                () -> Libpcap.compile(Libpcap.DLT_RAW, "vlan"));
        assertTrue(l3.getMessage().contains("VLAN"), l3.getMessage());
    }

    @Test
    void filterRunsLibpcapsInterpreter() {
        byte[] loadByte = insns(0x30, 0, 0, 2, 0x16, 0, 0, 0); // ldb [2]; ret a
        byte[] packet = {9, 8, 7, 6};
        assertEquals(7, Libpcap.filter(loadByte, packet, 4, 4));
        assertEquals(0, Libpcap.filter(loadByte, packet, 4, 2)); // past buflen
        assertEquals(4, Libpcap.filter(insns(0x80, 0, 0, 0, 0x16, 0, 0, 0), packet, 4, 0)); // ld #pktlen
        assertEquals(-1, Libpcap.filter(insns(0x06, 0, 0, -1), new byte[0], 0, 0)); // ret #0xffffffff
        assertThrows(IllegalArgumentException.class, () -> Libpcap.filter(loadByte, packet, 4, 5));
    }

    @Test
    void aMissingLibraryIsExplained() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Libpcap.load("skbtrail-no-such-library", "libskbtrail-no-such-library.so.0.8"));
        assertEquals("libpcap not found: install it (Debian: apt-get install libpcap0.8)", e.getMessage());
        assertEquals(2, e.getSuppressed().length);
        assertTrue(Libpcap.load("skbtrail-no-such-library", "libpcap.so.0.8") != null, "falls back");
    }
}
