package io.skbtrail.agent.event;

import static io.skbtrail.agent.event.CraftedPackets.concat;
import static io.skbtrail.agent.event.CraftedPackets.cut;
import static io.skbtrail.agent.event.CraftedPackets.ethIpv4Tcp;
import static io.skbtrail.agent.event.CraftedPackets.ethernet;
import static io.skbtrail.agent.event.CraftedPackets.icmpEcho;
import static io.skbtrail.agent.event.CraftedPackets.ipv4;
import static io.skbtrail.agent.event.CraftedPackets.ipv6;
import static io.skbtrail.agent.event.CraftedPackets.payload;
import static io.skbtrail.agent.event.CraftedPackets.tcp;
import static io.skbtrail.agent.event.CraftedPackets.udp;
import static io.skbtrail.agent.event.CraftedPackets.vxlan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.Event.Fingerprint;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fingerprint and the VXLAN inner packet, from crafted packets (README, "Packet fingerprint"). */
@Tag("unit")
class PacketFingerprintTest {
    /** FNV-1a 64 of the bytes 0, 1, …, 31 (and of the first 6, 10, 12), computed independently. */
    private static final String HASH_0_TO_31 = "e6cb594c1a148ac5";
    private static final String HASH_0_TO_5 = "a54ac5bf0ea60dde";
    private static final String HASH_0_TO_9 = "9800d3c0ce314572";
    private static final String HASH_0_TO_11 = "2d7d4819416d7fb9";

    private static Fingerprint fp(byte[] packet, boolean l2) {
        return PacketHeaders.parse(packet, l2).fp();
    }

    @Test
    void fnv1aMatchesTheReferenceVectors() {
        byte[] foobar = "foobar".getBytes(StandardCharsets.US_ASCII);
        assertEquals("cbf29ce484222325", Fingerprint.hashText(Fingerprint.fnv1a64(foobar, 0, 0)));
        assertEquals("af63dc4c8601ec8c", Fingerprint.hashText(Fingerprint.fnv1a64(foobar, 4, 1)));
        assertEquals("85944171f73967e8", Fingerprint.hashText(Fingerprint.fnv1a64(foobar, 0, 6)));
    }

    @Test
    void ipv4TcpGivesIdSequenceAcknowledgementLengthAndTheFirst32PayloadBytes() {
        byte[] packet = ethIpv4Tcp(0x1c46, 0xfedcba98L, 0x01020304L, payload(100));
        assertEquals(new Fingerprint(0x1c46, 0xfedcba98L, 0x01020304L, 100, HASH_0_TO_31, 32), fp(packet, true));
        // The same packet seen without its Ethernet header (at an IP-level probe point): the same fingerprint.
        assertEquals(fp(packet, true), fp(Arrays.copyOfRange(packet, 14, packet.length), false));
    }

    @Test
    void onlyCapturedBytesAreHashedAndTheLengthStillComesFromTheHeader() {
        byte[] packet = ethIpv4Tcp(7, 1, 2, payload(100));
        int payloadStart = 14 + 20 + 32;
        Fingerprint ten = fp(cut(packet, payloadStart + 10), true);
        assertEquals(new Fingerprint(7, 1L, 2L, 100, HASH_0_TO_9, 10), ten);
        assertEquals(new Fingerprint(7, 1L, 2L, 100, null, 0), fp(cut(packet, payloadStart), true));
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] padded = concat(ethIpv4Tcp(7, 1, 2, payload(6)), new byte[20]);
        assertEquals(new Fingerprint(7, 1L, 2L, 6, HASH_0_TO_5, 6), fp(padded, true));
        byte[] ack = concat(ethIpv4Tcp(8, 1, 2, new byte[0]), new byte[6]);
        assertEquals(new Fingerprint(8, 1L, 2L, 0, null, 0), fp(ack, true));
    }

    @Test
    void gsoSuperPacketCarriesTheWholePayloadLengthAndHashesOnlyTheLinearBytes() {
        // 64,000 bytes of payload in page fragments; the linear data ends after the TCP header.
        byte[] tcp = tcp(40000, 8080, 1000, 5, 0x18, 12);
        byte[] linear = concat(ethernet(0x0800), ipv4(9, 6, tcp.length + 64_000, 0x4000, "10.0.0.1", "10.0.0.2"), tcp);
        assertEquals(new Fingerprint(9, 1000L, 5L, 64_000, null, 0), fp(linear, true));
        // BIG TCP: tot_len 0, the length is unknown; the bytes present are still hashed.
        byte[] big = concat(ethernet(0x0800), ipv4(9, 6, -1, 0x4000, "10.0.0.1", "10.0.0.2"), tcp, payload(12));
        assertEquals(new Fingerprint(9, 1000L, 5L, null, HASH_0_TO_11, 12), fp(big, true));
    }

    @Test
    void ipv6HasNoIdAndExtensionHeadersAreNotPayload() {
        byte[] udp = udp(12345, 53, 40);
        byte[] plain = concat(ipv6(17, 8 + 40, 1, 2), udp, payload(40));
        assertEquals(new Fingerprint(null, null, null, 40, HASH_0_TO_31, 32), fp(plain, false));
        byte[] hopByHop = {17, 0, 0, 0, 0, 0, 0, 0};
        byte[] withExtension = concat(ipv6(0, 8 + 8 + 40, 1, 2), hopByHop, udp, payload(40));
        assertEquals(new Fingerprint(null, null, null, 40, HASH_0_TO_31, 32), fp(withExtension, false));
        byte[] tcp = tcp(443, 50000, 77, 88, 0x10, 12);
        assertEquals(new Fingerprint(null, 77L, 88L, 10, HASH_0_TO_9, 10),
                fp(concat(ethernet(0x86dd), ipv6(6, tcp.length + 10, 1, 2), tcp, payload(10)), true));
    }

    @Test
    void icmpEchoPayloadFollowsTheEightByteHeader() {
        byte[] v4 = concat(ipv4(0xbeef, 1, 8 + 56, 0x4000, "10.0.0.1", "10.0.0.2"), icmpEcho(8, 0x1234, 7), payload(56));
        PacketHeaders.Parsed p = PacketHeaders.parse(v4, false);
        assertEquals(new Event.Icmp(8, 0, 0x1234, 7), p.icmp());
        assertEquals(new Fingerprint(0xbeef, null, null, 56, HASH_0_TO_31, 32), p.fp());
        byte[] v6 = concat(ipv6(58, 8 + 10, 1, 2), icmpEcho(128, 1, 2), payload(10));
        assertEquals(new Fingerprint(null, null, null, 10, HASH_0_TO_9, 10), fp(v6, false));
    }

    @Test
    void fragmentsShareTheIdAndLaterOnesHashTheirDataAfterTheIpHeader() {
        // First fragment (MF set, offset 0) of a UDP datagram: its own length, UDP header excluded.
        byte[] first = concat(ipv4(0x4242, 17, 8 + 32, 0x2000, "10.0.0.1", "10.0.0.2"), udp(1, 2, 100), payload(32));
        assertEquals(new Fingerprint(0x4242, null, null, 32, HASH_0_TO_31, 32), fp(first, false));
        // A later fragment (offset 5 × 8): no ports, no L4 header, the data follows the IP header.
        byte[] later = concat(ipv4(0x4242, 17, 10, 5, "10.0.0.1", "10.0.0.2"), payload(10));
        PacketHeaders.Parsed p = PacketHeaders.parse(later, false);
        assertEquals(0, p.tuple().sport());
        assertEquals(new Fingerprint(0x4242, null, null, 10, HASH_0_TO_9, 10), p.fp());
        byte[] laterTcp = concat(ipv4(0x4243, 6, 10, 5, "10.0.0.1", "10.0.0.2"), payload(10));
        assertNull(fp(laterTcp, false).tcpSeq(), "no TCP header in a later fragment");
    }

    @Test
    void truncatedTcpHeaderGivesWhatIsThere() {
        byte[] packet = ethIpv4Tcp(3, 0x11223344L, 0x55667788L, payload(50));
        assertEquals(new Fingerprint(3, 0x11223344L, 0x55667788L, null, null, 0), fp(cut(packet, 14 + 20 + 12), true),
                "data offset not captured: the payload's start and length are unknown");
        assertEquals(new Fingerprint(3, 0x11223344L, null, null, null, 0), fp(cut(packet, 14 + 20 + 8), true));
        assertNull(fp(cut(packet, 14 + 19), true), "no whole IP header");
    }

    @Test
    void contradictoryLengthsHashNothing() {
        byte[] tcp = tcp(1, 2, 3, 4, 0x10, 12);
        // tot_len says 10 bytes follow the IP header, but the TCP header alone is 32.
        byte[] packet = concat(ipv4(5, 6, 10, 0, "10.0.0.1", "10.0.0.2"), tcp, payload(20));
        assertEquals(new Fingerprint(5, 3L, 4L, null, null, 0), fp(packet, false));
    }

    @Test
    void notIpHasNoFingerprint() {
        byte[] arp = concat(ethernet(0x0806), new byte[28]);
        assertNull(fp(arp, true));
        assertNull(PacketHeaders.parse(arp, true).encap());
    }

    // ---- VXLAN ------------------------------------------------------------------------------------

    /** Outer Ethernet/IPv4/UDP to {@code port}, then the VXLAN header and {@code inner}. */
    private static byte[] vxlanPacket(int port, byte[] vxlanHeader, byte[] inner) {
        return concat(ethernet(0x0800), ipv4(0x0a0a, 17, 8 + 8 + inner.length, 0, "192.168.0.1", "192.168.0.2"),
                udp(54321, port, 8 + inner.length), vxlanHeader, inner);
    }

    @Test
    void vxlanKeepsTheOuterTupleAndTakesFingerprintAndEncapFromTheInnerPacket() {
        byte[] inner = ethIpv4Tcp(0x1c46, 1000, 2000, payload(100));
        for (int port : new int[] {4789, 8472}) {
            PacketHeaders.Parsed p = PacketHeaders.parse(vxlanPacket(port, vxlan(42), inner), true);
            assertEquals(new Event.Tuple("192.168.0.1", "192.168.0.2", 54321, port, "udp", ""), p.tuple());
            PacketHeaders.Parsed alone = PacketHeaders.parse(inner, true);
            assertEquals(new Event.Encap("vxlan", 42, alone.tuple(), null), p.encap());
            assertEquals(alone.fp(), p.fp(), "the inner packet's fingerprint, as seen after decapsulation");
            assertEquals(new Fingerprint(0x1c46, 1000L, 2000L, 100, HASH_0_TO_31, 32), p.fp());
        }
    }

    @Test
    void vxlanInnerIcmpAndVniAtItsLimit() {
        byte[] inner = concat(ethernet(0x0800), ipv4(1, 1, 8 + 16, 0, "10.9.0.1", "10.9.0.2"), icmpEcho(8, 77, 3),
                payload(16));
        PacketHeaders.Parsed p = PacketHeaders.parse(vxlanPacket(4789, vxlan(0xffffff), inner), true);
        assertEquals(0xffffffL, p.encap().vni());
        assertEquals(new Event.Icmp(8, 0, 77, 3), p.encap().icmp());
        assertNull(p.icmp(), "the outer packet is UDP");
    }

    @Test
    void vxlanCaptureTooShortForTheInnerPacketSaysSo() {
        byte[] packet = vxlanPacket(4789, vxlan(7), ethIpv4Tcp(1, 2, 3, payload(64)));
        int innerStart = 14 + 20 + 8 + 8;
        PacketHeaders.Parsed p = PacketHeaders.parse(cut(packet, innerStart + 20), true);
        assertEquals(new Event.Encap("vxlan", 7, null, null), p.encap(), "inner IP header not captured");
        assertNull(p.fp(), "no inner packet to fingerprint");
        // The 128 bytes the probes copy by default reach 12 bytes into an inner TCP payload with timestamps.
        assertEquals(12, PacketHeaders.parse(cut(packet, 128), true).fp().payloadHashed());
    }

    @Test
    void notVxlanWithoutTheIFlagOrOnAnotherPortOrNested() {
        byte[] inner = ethIpv4Tcp(1, 2, 3, payload(10));
        byte[] noFlag = vxlanPacket(4789, new byte[8], inner);
        assertNull(PacketHeaders.parse(noFlag, true).encap());
        assertEquals(0x0a0a, PacketHeaders.parse(noFlag, true).fp().ipId(), "a plain UDP packet's own fingerprint");
        assertNull(PacketHeaders.parse(vxlanPacket(4790, vxlan(1), inner), true).encap());
        byte[] nested = vxlanPacket(4789, vxlan(1), vxlanPacket(4789, vxlan(2), inner));
        PacketHeaders.Parsed p = PacketHeaders.parse(nested, true);
        assertEquals(1, p.encap().vni());
        assertEquals(4789, p.encap().tuple().dport(), "one level: the inner packet is the inner UDP packet");
        assertNotEquals(PacketHeaders.parse(inner, true).fp(), p.fp());
    }
}
