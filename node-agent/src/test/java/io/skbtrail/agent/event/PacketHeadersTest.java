package io.skbtrail.agent.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.skbtrail.protocol.Event;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PacketHeadersTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String ETH_IPV4 = "020000000002" + "020000000001" + "0800";
    // IPv4, ihl 5, proto TCP, 10.231.1.1 -> 10.231.1.2
    private static final String IPV4_TCP = "45000028000040004006" + "0000" + "0ae70101" + "0ae70102";
    // TCP 54321 -> 8080, flags SYN|ACK (0x12)
    private static final String TCP_SYN_ACK = "d4311f90" + "00000001" + "00000000" + "5012" + "ffff" + "0000" + "0000";

    @Test
    void ipv4TcpBehindEthernet() {
        PacketHeaders.Parsed p = PacketHeaders.parse(HEX.parseHex(ETH_IPV4 + IPV4_TCP + TCP_SYN_ACK), true);
        assertEquals(new Event.Tuple("10.231.1.1", "10.231.1.2", 54321, 8080, "tcp", "SYN|ACK"), p.tuple());
        assertNull(p.icmp());
    }

    @Test
    void ipv4WithoutLinkHeader() {
        PacketHeaders.Parsed p = PacketHeaders.parse(HEX.parseHex(IPV4_TCP + TCP_SYN_ACK), false);
        assertEquals(8080, p.tuple().dport());
    }

    @Test
    void vlanTaggedFrame() {
        String tagged = "020000000002" + "020000000001" + "8100" + "0064" + "0800";
        PacketHeaders.Parsed p = PacketHeaders.parse(HEX.parseHex(tagged + IPV4_TCP + TCP_SYN_ACK), true);
        assertEquals("10.231.1.2", p.tuple().daddr());
    }

    @Test
    void ipv6HopByHopThenUdp() {
        String ipv6 = "60000000" + "0010" + "00" + "40" // next header 0 = hop-by-hop
                + "fd000231000100000000000000000001" + "fd000231000100000000000000000002";
        String hopByHop = "11" + "00" + "000000000000"; // next header 17 (UDP), length 0 -> 8 bytes
        String udp = "30390035" + "00080000";
        PacketHeaders.Parsed p = PacketHeaders.parse(HEX.parseHex(ipv6 + hopByHop + udp), false);
        assertEquals(new Event.Tuple("fd00:231:1::1", "fd00:231:1::2", 12345, 53, "udp", ""), p.tuple());
    }

    @Test
    void icmpEchoCarriesIdAndSequence() {
        String ip = "45000054000040004001" + "0000" + "0ae70101" + "0ae70102";
        String echo = "0800" + "0000" + "1234" + "0007";
        PacketHeaders.Parsed p = PacketHeaders.parse(HEX.parseHex(ip + echo), false);
        assertEquals("icmp", p.tuple().proto());
        assertEquals(new Event.Icmp(8, 0, 0x1234, 7), p.icmp());
    }

    @Test
    void arpHasNoTuple() {
        String arp = "ffffffffffff" + "020000000001" + "0806" + "0001080006040001";
        assertNull(PacketHeaders.parse(HEX.parseHex(arp), true).tuple());
    }

    @Test
    void truncatedHeadersGiveWhatIsThere() {
        byte[] cut = HEX.parseHex(ETH_IPV4 + IPV4_TCP + "d431");
        PacketHeaders.Parsed p = PacketHeaders.parse(cut, true);
        assertEquals("10.231.1.2", p.tuple().daddr());
        assertEquals(0, p.tuple().dport());
        assertNull(PacketHeaders.parse(HEX.parseHex("0200000000"), true).tuple());
    }

    @Test
    void laterFragmentsHaveNoPorts() {
        String fragment = "45000028000000b94006" + "0000" + "0ae70101" + "0ae70102"; // offset 0xb9 * 8
        PacketHeaders.Parsed p = PacketHeaders.parse(HEX.parseHex(fragment + TCP_SYN_ACK), false);
        assertEquals(0, p.tuple().dport());
    }

    @Test
    void ipv6TextFollowsRfc5952() {
        assertEquals("fd00:231:1::2", PacketHeaders.ipv6Text(HEX.parseHex("fd000231000100000000000000000002"), 0));
        assertEquals("::1", PacketHeaders.ipv6Text(HEX.parseHex("00000000000000000000000000000001"), 0));
        assertEquals("2001:db8:0:1:1:1:1:1", PacketHeaders.ipv6Text(HEX.parseHex("20010db8000000010001000100010001"), 0));
        assertEquals("2001:db8::1:0:0:1", PacketHeaders.ipv6Text(HEX.parseHex("20010db8000000000001000000000001"), 0));
        assertEquals("::", PacketHeaders.ipv6Text(new byte[16], 0));
    }

    @Test
    void tcpFlagNames() {
        assertEquals("", PacketHeaders.tcpFlags(0));
        assertEquals("FIN|PSH|ACK", PacketHeaders.tcpFlags(0x19));
    }
}
