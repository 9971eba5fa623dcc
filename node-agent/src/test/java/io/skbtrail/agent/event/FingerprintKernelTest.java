package io.skbtrail.agent.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.lab.AgentProcess;
import io.skbtrail.agent.lab.NetnsLab;
import io.skbtrail.agent.lab.TestBackend;
import io.skbtrail.agent.lab.TraceOutput;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.Event.Fingerprint;
import io.skbtrail.protocol.EventJsonParser;
import io.skbtrail.protocol.WireRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packet fingerprint on real packets: hosts A and B are network namespaces joined by a veth pair,
 * and one packet must carry the same {@code fp} where it leaves A and where it arrives at B — taken from
 * the packet's bytes at each probe point (the expected payload hashes are computed here from the bytes
 * sent), so two packets differ even where the kernel reuses one skb.
 */
@Tag("kernel")
class FingerprintKernelTest {
    private static final TestBackend BACKEND = TestBackend.current();
    private static final int VNI = 42;
    private static NetnsLab lab;
    private static String a;
    private static String b;
    private static NetnsLab.End endA;
    private static NetnsLab.End endB;
    private static long netnsA;
    private static long netnsB;

    @BeforeAll
    static void hosts() {
        lab = new NetnsLab();
        a = lab.host("a");
        b = lab.host("b");
        NetnsLab.End[] ends = lab.link(a, b, 41);
        endA = ends[0];
        endB = ends[1];
        netnsA = NetnsLab.inode(a);
        netnsB = NetnsLab.inode(b);
        // An overlay 10.231.77.0/24 over VXLAN (VNI 42, port 4789) between the two.
        vxlanEnd(a, endA, endB, 1);
        vxlanEnd(b, endB, endA, 2);
    }

    private static void vxlanEnd(String ns, NetnsLab.End local, NetnsLab.End remote, int host) {
        NetnsLab.exec(ns, "ip link add vx42 type vxlan id " + VNI + " local " + local.ipv4() + " remote "
                + remote.ipv4() + " dstport 4789 dev " + local.ifname()
                + " && ip addr add 10.231.77." + host + "/24 dev vx42"
                + " && ip addr add fd00:231:77::" + host + "/64 dev vx42 nodad && ip link set vx42 up");
    }

    @AfterAll
    static void cleanUp() {
        lab.close();
    }

    /** The fingerprint hash of a payload's first 32 bytes, computed from what the test sends. */
    private static String expectedHash(String payload) {
        return hashOf(payload, Math.min(32, payload.length()));
    }

    private static String hashOf(String payload, int count) {
        byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
        return Fingerprint.hashText(Fingerprint.fnv1a64(bytes, 0, count));
    }

    private static TraceOutput traceWhile(Runnable traffic, Predicate<Event> awaited, String filter) throws Exception {
        try (AgentProcess agent = AgentProcess.trace(filter)) {
            traffic.run();
            boolean seen = agent.awaitLine(line -> {
                WireRecord r = EventJsonParser.parse(line);
                return r instanceof Event e && awaited.test(e);
            });
            assertEquals(0, agent.stop(), agent.stderr());
            TraceOutput out = TraceOutput.parse(agent.lines());
            assertTrue(seen, "awaited event never came:\n" + out.describe());
            return out;
        }
    }

    private static Predicate<Event> at(long netns, String func) {
        return e -> e.netns() == netns && e.func().equals(func);
    }

    private static Predicate<Event> hashed(String hash) {
        return e -> e.fp() != null && hash.equals(e.fp().payloadHash());
    }

    private static Event only(TraceOutput out, Predicate<Event> p, String what) {
        List<Event> found = out.where(p);
        assertFalse(found.isEmpty(), what + " not found:\n" + out.describe());
        return found.get(0);
    }

    @Test
    void udpPacketHasTheSameFingerprintLeavingAAndArrivingAtB() throws Exception {
        String one = "fingerprint test, packet one ...... " + System.nanoTime();
        String two = "fingerprint test, packet two ...... " + System.nanoTime();
        NetnsLab.exec(b, "(timeout 8 socat -u UDP-RECV:9000 /dev/null >/dev/null 2>&1 &)");
        TraceOutput out = traceWhile(() -> {
            NetnsLab.exec(a, "printf %s '" + one + "' > /dev/udp/" + endB.ipv4() + "/9000");
            NetnsLab.exec(a, "printf %s '" + two + "' > /dev/udp/" + endB.ipv4() + "/9000");
        }, hashed(expectedHash(two)).and(at(netnsB, BACKEND.receivePoint("ip"))), "udp and dst port 9000");

        Fingerprint[] fps = new Fingerprint[2];
        String[] payloads = {one, two};
        for (int i = 0; i < 2; i++) {
            String hash = expectedHash(payloads[i]);
            Event sent = only(out, hashed(hash).and(at(netnsA, BACKEND.transmitPoint())), "A's transmit");
            Event received = only(out, hashed(hash).and(at(netnsB, BACKEND.receivePoint("ip"))), "B's receive");
            assertEquals(new Fingerprint(sent.fp().ipId(), null, null, payloads[i].length(), hash, 32), sent.fp(),
                    "IPv4 id, no TCP fields, the UDP payload's length and the hash of its first 32 bytes");
            assertNotNull(sent.fp().ipId());
            assertEquals(sent.fp(), received.fp());
            assertEquals(sent.tuple(), received.tuple());
            // Every probe point of this packet on both hosts: the same fingerprint, whatever the packet's
            // start there (Ethernet header on the veth, IP header at the socket).
            for (Event e : out.where(hashed(hash))) {
                assertEquals(sent.fp(), e.fp(), e.func());
            }
            assertTrue(out.where(hashed(hash)).size() >= 3, out.describe());
            fps[i] = sent.fp();
        }
        assertNotEquals(fps[0], fps[1], "two packets, two fingerprints");
        assertNotEquals(fps[0].ipId(), fps[1].ipId());
    }

    @Test
    void tcpPacketsHaveTheSameFingerprintOnBothHosts() throws Exception {
        String data = "GET /fingerprint HTTP/1.0 " + System.nanoTime() + " and some more bytes";
        NetnsLab.exec(b, "(timeout 8 socat -u TCP-LISTEN:8080,reuseaddr /dev/null >/dev/null 2>&1 &)");
        NetnsLab.exec(b, "for i in $(seq 50); do ss -ltn | grep -q :8080 && break; sleep 0.1; done");
        Predicate<Event> dataSegment = e -> e.fp() != null && Objects.equals(e.fp().payloadLen(), data.length());
        TraceOutput out = traceWhile(
                () -> NetnsLab.exec(a, "printf %s '" + data + "' > /dev/tcp/" + endB.ipv4() + "/8080"),
                dataSegment.and(at(netnsB, BACKEND.receivePoint("ip"))), "tcp and port 8080");

        Event dataSent = only(out, dataSegment.and(at(netnsA, BACKEND.transmitPoint())), "the data segment");
        assertNotNull(dataSent.fp().ipId());
        assertNotNull(dataSent.fp().tcpAck());
        // TCP puts its payload in page fragments (never hashed: not linear data); whatever was hashed must
        // be the payload's own first bytes.
        int hashed = dataSent.fp().payloadHashed();
        assertEquals(hashed == 0 ? null : hashOf(data, hashed), dataSent.fp().payloadHash());

        // Every packet A sent (SYN, ACK, data, FIN…) and every one B sent back: the same fp on the other side.
        List<Event> sentByA = out.where(at(netnsA, BACKEND.transmitPoint()).and(e -> e.fp() != null));
        List<Event> sentByB = out.where(at(netnsB, BACKEND.transmitPoint()).and(e -> e.fp() != null));
        assertTrue(sentByA.size() >= 3 && sentByB.size() >= 2, out.describe());
        for (Event sent : sentByA) {
            assertTrue(out.any(at(netnsB, BACKEND.receivePoint("ip"))
                    .and(e -> sent.fp().equals(e.fp()) && sent.tuple().equals(e.tuple()))),
                    "A's " + sent.tuple().tcpFlags() + " " + sent.fp() + " not seen arriving at B:\n" + out.describe());
        }
        for (Event sent : sentByB) {
            assertTrue(out.any(at(netnsA, BACKEND.receivePoint("ip"))
                    .and(e -> sent.fp().equals(e.fp()) && sent.tuple().equals(e.tuple()))),
                    "B's " + sent.tuple().tcpFlags() + " " + sent.fp() + " not seen arriving at A:\n" + out.describe());
        }
        Event syn = only(out, at(netnsA, BACKEND.transmitPoint()).and(e -> e.tuple().tcpFlags().equals("SYN")), "SYN");
        assertEquals(0, syn.fp().payloadLen());
        assertNull(syn.fp().payloadHash());
        assertEquals(Long.valueOf((syn.fp().tcpSeq() + 1) & 0xffff_ffffL), dataSent.fp().tcpSeq(),
                "the first data byte follows the SYN's sequence number");
    }

    @Test
    void vxlanPacketsCarryTheInnerPacketAndItsFingerprint() throws Exception {
        String payload = "inner packet of the overlay .... " + System.nanoTime();
        String hash = expectedHash(payload);
        NetnsLab.exec(b, "(timeout 8 socat -u UDP-RECV:9000 /dev/null >/dev/null 2>&1 &)");
        TraceOutput out = traceWhile(
                () -> NetnsLab.exec(a, "printf %s '" + payload + "' > /dev/udp/10.231.77.2/9000"),
                hashed(hash).and(at(netnsB, BACKEND.receivePoint("ip"))).and(e -> "vx42".equals(e.iface())),
                "udp");

        Event.Tuple inner = new Event.Tuple("10.231.77.1", "10.231.77.2", 0, 9000, "udp", "");
        Predicate<Event> outer = e -> e.tuple() != null && e.tuple().dport() == 4789;
        Event leaving = only(out, outer.and(hashed(hash)).and(at(netnsA, BACKEND.transmitPoint())),
                "the VXLAN packet leaving A");
        Event arriving = only(out, outer.and(hashed(hash)).and(at(netnsB, BACKEND.receivePoint("ip"))),
                "the VXLAN packet arriving at B");
        Event decapsulated = only(out, hashed(hash).and(at(netnsB, BACKEND.receivePoint("ip")))
                .and(e -> "vx42".equals(e.iface())), "the inner packet on B's vx42");
        for (Event e : List.of(leaving, arriving)) {
            assertEquals(endA.ipv4(), e.tuple().saddr(), "the event's tuple stays the outer one");
            assertEquals(endB.ipv4(), e.tuple().daddr());
            assertEquals(VNI, e.encap().vni());
            Event.Tuple t = e.encap().tuple();
            assertEquals(inner, new Event.Tuple(t.saddr(), t.daddr(), 0, t.dport(), t.proto(), t.tcpFlags()));
            assertEquals(decapsulated.fp(), e.fp(), "the inner fingerprint, as the inner packet has it after decap");
        }
        assertNull(decapsulated.encap());
        assertEquals(decapsulated.tuple(), leaving.encap().tuple());
        assertEquals(new Fingerprint(decapsulated.fp().ipId(), null, null, payload.length(), hash, 32),
                decapsulated.fp());
        // ARP for the overlay's addresses went through the tunnel too: encapsulated, with no inner IP.
        assertTrue(out.any(outer.and(e -> e.encap() != null && e.encap().tuple() == null && e.fp() == null)),
                out.describe());
        assertTrue(out.where(outer).stream().allMatch(e -> e.encap() != null && e.encap().vni() == VNI),
                "every outer packet is VXLAN with VNI 42");
    }

    @Test
    void vxlanOverIpv6KeepsTheInnerPayloadInReach() throws Exception {
        // Outer Ethernet, IPv4, UDP, VXLAN (50 bytes), inner Ethernet, IPv6, UDP (62): the inner payload
        // starts at byte 112, past the 128 bytes copied for other packets' first 32 payload bytes.
        String payload = "inner IPv6 packet of the overlay " + System.nanoTime();
        String hash = expectedHash(payload);
        NetnsLab.exec(b, "(timeout 8 socat -u UDP6-RECV:9000 /dev/null >/dev/null 2>&1 &)");
        TraceOutput out = traceWhile(
                () -> NetnsLab.exec(a, "printf %s '" + payload + "' > /dev/udp/fd00:231:77::2/9000"),
                hashed(hash).and(at(netnsB, BACKEND.receivePoint("ipv6"))).and(e -> "vx42".equals(e.iface())),
                "udp");

        Event decapsulated = only(out, hashed(hash).and(at(netnsB, BACKEND.receivePoint("ipv6")))
                .and(e -> "vx42".equals(e.iface())), "the inner packet on B's vx42");
        Event arriving = only(out, hashed(hash).and(at(netnsB, BACKEND.receivePoint("ipv6")))
                .and(e -> e.encap() != null), "the VXLAN packet arriving at B");
        assertEquals(new Fingerprint(null, null, null, payload.length(), hash, 32), decapsulated.fp());
        assertEquals(decapsulated.fp(), arriving.fp());
        assertEquals("fd00:231:77::2", arriving.encap().tuple().daddr());
        assertEquals(endB.ipv4(), arriving.tuple().daddr());
    }
}
