package io.skbtrail.agent.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.probe.tracepoint.TracepointBackend;
import io.skbtrail.protocol.Event;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Raw records laid out as bpf/include/event.h writes them. */
@Tag("unit")
class EventDecoderTest {
    private static final byte[] FRAME = HexFormat.of().parseHex("020000000002" + "020000000001" + "0800"
            + "45000028000040004006" + "0000" + "0ae70101" + "0ae70102"
            + "d4311f90" + "00000001" + "00000000" + "5002" + "ffff" + "0000" + "0000");
    private static final long NF_HOOK_SLOW = 0xffffffff81f28dd0L;

    private static EventDecoder decoder(int packetBytes) {
        Map<Long, String> symbols = Map.of(NF_HOOK_SLOW, "nf_hook_slow", 0xffffffff81e42dc0L, "sk_skb_reason_drop",
                0xffffffff81000100L, "bpf_trace_run4");
        return new EventDecoder(TracepointBackend.PROBE_POINTS,
                address -> symbols.entrySet().stream().filter(s -> address >= s.getKey() && address < s.getKey() + 0x100)
                        .map(Map.Entry::getValue).findFirst().orElse(null),
                value -> value == 12 ? "NETFILTER_DROP" : null, new WallClock(), "boot-1", packetBytes);
    }

    private static ByteBuffer record(int probeId, long reason, int flags, byte[] packet, long... stack) {
        ByteBuffer b = ByteBuffer.allocate(RawEventLayout.DUMP).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(RawEventLayout.KTIME_NS, System.nanoTime());
        b.putLong(RawEventLayout.SKB, 0xffff888108a7e200L);
        b.putLong(RawEventLayout.PACKET_ID, 42);
        b.putLong(RawEventLayout.LOCATION, NF_HOOK_SLOW + 0x9e);
        b.putInt(RawEventLayout.PROBE_ID, probeId);
        b.putInt(RawEventLayout.PID, 1234);
        b.putInt(RawEventLayout.CPU, 1);
        b.putInt(RawEventLayout.NETNS, (int) 4026532177L);
        b.putInt(RawEventLayout.MARK, 0x1234);
        b.putInt(RawEventLayout.IFINDEX, 2);
        b.putInt(RawEventLayout.LEN, 40);
        b.putInt(RawEventLayout.MTU, 1500);
        b.putInt(RawEventLayout.DROP_REASON, (int) reason);
        b.putShort(RawEventLayout.PROTO, (short) 0x0800);
        b.put(RawEventLayout.FLAGS, (byte) flags);
        b.putShort(RawEventLayout.CAP_LEN, (short) packet.length);
        b.putShort(RawEventLayout.STACK_LEN, (short) (stack.length * 8));
        b.put(RawEventLayout.COMM, "curl\0".getBytes(StandardCharsets.US_ASCII));
        b.put(RawEventLayout.IFNAME, "veth0\0".getBytes(StandardCharsets.US_ASCII));
        b.put(RawEventLayout.PKT, packet);
        for (int i = 0; i < stack.length; i++) {
            b.putLong(RawEventLayout.STACK + 8 * i, stack[i]);
        }
        return b;
    }

    @Test
    void dropEventWithEveryField() {
        ByteBuffer raw = record(10, 12, RawEventLayout.FLAG_L2, FRAME, 0xffffffff81000108L, 0xffffffff81e42dc8L,
                NF_HOOK_SLOW + 4);
        Event e = decoder(16).decode(raw, 0, raw.capacity());
        assertEquals("skb:kfree_skb", e.func());
        assertEquals(Event.ProbeType.TRACEPOINT, e.probeType());
        assertEquals("NETFILTER_DROP", e.dropReason());
        assertEquals("nf_hook_slow", e.location());
        assertEquals("0xffff888108a7e200", e.skb());
        assertEquals(42, e.packetId());
        assertEquals(1, e.seq());
        assertEquals("curl", e.process());
        assertEquals(1234, e.pid());
        assertEquals(4026532177L, e.netns(), "u32 netns inode, not negative");
        assertEquals(0x1234, e.mark());
        assertEquals("veth0", e.iface());
        assertEquals(2048, e.proto());
        assertEquals(new Event.Tuple("10.231.1.1", "10.231.1.2", 54321, 8080, "tcp", "SYN"), e.tuple());
        assertEquals(List.of("sk_skb_reason_drop", "nf_hook_slow"), e.stack(), "probe frames dropped");
        assertEquals("0200000000020200", e.packet().substring(0, 16));
        assertEquals(32, e.packet().length(), "16 bytes asked for");
        assertTrue(Duration.between(e.time(), Instant.now()).abs().toSeconds() < 5, "kernel time converted to wall time");
        assertEquals("boot-1", e.bootId());
    }

    @Test
    void seqIsGapFreeAndUnknownValuesStayVisible() {
        EventDecoder d = decoder(0);
        ByteBuffer raw = record(99, 250, 0, new byte[0]);
        Event first = d.decode(raw, 0, RawEventLayout.HEADER_SIZE);
        Event second = d.decode(raw, 0, RawEventLayout.HEADER_SIZE);
        assertEquals(1, first.seq());
        assertEquals(2, second.seq());
        assertEquals("probe#99", first.func());
        assertEquals("250", first.dropReason(), "an unnamed drop reason is shown as its number");
        assertNull(first.tuple());
        assertNull(first.packet());
        assertNull(first.stack());
    }

    @Test
    void fingerprintAndEncapComeFromThePacketBytes() {
        byte[] inner = CraftedPackets.ethIpv4Tcp(0x1c46, 1000, 2000, CraftedPackets.payload(20));
        byte[] outer = CraftedPackets.concat(CraftedPackets.ethernet(0x0800),
                CraftedPackets.ipv4(5, 17, 16 + inner.length, 0, "192.168.0.1", "192.168.0.2"),
                CraftedPackets.udp(1000, 4789, 8 + inner.length), CraftedPackets.vxlan(42), inner);
        ByteBuffer raw = record(0, 0, RawEventLayout.FLAG_L2, outer);
        Event e = decoder(0).decode(raw, 0, RawEventLayout.PKT + outer.length);
        assertEquals(4789, e.tuple().dport());
        assertEquals(42, e.encap().vni());
        assertEquals(new Event.Fingerprint(0x1c46, 1000L, 2000L, 20, e.fp().payloadHash(), 20), e.fp());
        assertNull(e.ct());
        Event plain = decoder(0).decode(record(0, 0, RawEventLayout.FLAG_L2, inner), 0, RawEventLayout.DUMP);
        assertEquals(e.fp(), plain.fp());
        assertNull(plain.encap());
    }

    @Test
    void headersRebuiltFromTheSocketGiveOnlyTheSequenceAndLength() {
        // As bpf/include/sock.h writes them: IP id 0 and ack 0 are placeholders, not the packet's.
        byte[] rebuilt = CraftedPackets.concat(CraftedPackets.ipv4(0, 6, 20 + 1448, 0x4000, "10.0.0.1", "10.0.0.2"),
                CraftedPackets.tcp(40000, 80, 123456, 0, 0x18, 0));
        Event e = decoder(0).decode(record(15, 0, RawEventLayout.FLAG_SYNTHESIZED, rebuilt), 0, RawEventLayout.DUMP);
        assertEquals(new Event.Fingerprint(null, 123456L, null, 1448, null, 0), e.fp());
    }

    @Test
    void noPacketBytesNoFingerprint() {
        Event e = decoder(0).decode(record(9, 0, RawEventLayout.FLAG_NO_SKB_READ, new byte[0]), 0, RawEventLayout.DUMP);
        assertNull(e.fp());
        assertNull(e.encap());
    }

    /** struct event_ct as bpf/include/conntrack.h fills it: IPv4 addresses in the first 4 of 16 bytes. */
    private static void putConntrack(ByteBuffer b, int proto, int dir, int origSport, int origDport, int replySport,
            int replyDport) {
        int ct = RawEventLayout.CT;
        b.put(ct + RawEventLayout.CT_ORIG_SADDR, new byte[] {10, (byte) 231, 2, 1});
        b.put(ct + RawEventLayout.CT_ORIG_DADDR, new byte[] {10, (byte) 231, 2, 2});
        b.put(ct + RawEventLayout.CT_REPLY_SADDR, new byte[] {10, (byte) 231, 3, 2});
        b.put(ct + RawEventLayout.CT_REPLY_DADDR, new byte[] {10, (byte) 231, 2, 1});
        b.order(ByteOrder.BIG_ENDIAN); // ports as conntrack keeps them, in network order
        b.putShort(ct + RawEventLayout.CT_ORIG_SPORT, (short) origSport);
        b.putShort(ct + RawEventLayout.CT_ORIG_DPORT, (short) origDport);
        b.putShort(ct + RawEventLayout.CT_REPLY_SPORT, (short) replySport);
        b.putShort(ct + RawEventLayout.CT_REPLY_DPORT, (short) replyDport);
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(ct + RawEventLayout.CT_L3NUM, (short) 2);
        b.put(ct + RawEventLayout.CT_PROTONUM, (byte) proto);
        b.put(ct + RawEventLayout.CT_DIR, (byte) dir);
    }

    @Test
    void conntrackTuplesOfANatedPacket() {
        ByteBuffer raw = record(8, 0, RawEventLayout.FLAG_L2 | RawEventLayout.FLAG_CT, FRAME);
        putConntrack(raw, 6, 1, 43210, 8080, 8080, 43210);
        Event e = decoder(0).decode(raw, 0, RawEventLayout.CT + RawEventLayout.CT_SIZE);
        assertEquals(new Event.Conntrack(Event.Conntrack.Direction.REPLY,
                new Event.CtTuple("10.231.2.1", "10.231.2.2", 43210, 8080, "tcp"),
                new Event.CtTuple("10.231.3.2", "10.231.2.1", 8080, 43210, "tcp")), e.ct());

        putConntrack(raw, 1, 0, 0x1234, 0x0800, 0x1234, 0);
        Event.Conntrack icmp = decoder(0).decode(raw, 0, RawEventLayout.DUMP).ct();
        assertEquals(new Event.CtTuple("10.231.2.1", "10.231.2.2", 0x1234, 0, "icmp"), icmp.orig(),
                "ICMP: the echo id, and no port where conntrack keeps the type and code");
        assertEquals(Event.Conntrack.Direction.ORIGINAL, icmp.dir());
    }

    @Test
    void conntrackOnlyWithItsFlagAndWhole() {
        ByteBuffer raw = record(8, 0, RawEventLayout.FLAG_L2, FRAME);
        putConntrack(raw, 6, 0, 1, 2, 2, 1);
        assertNull(decoder(0).decode(raw, 0, RawEventLayout.DUMP).ct(), "no FLAG_CT: stale bytes, not a tuple");
        raw.put(RawEventLayout.FLAGS, (byte) (RawEventLayout.FLAG_L2 | RawEventLayout.FLAG_CT));
        assertNull(decoder(0).decode(raw, 0, RawEventLayout.CT + RawEventLayout.CT_SIZE - 1).ct(), "cut short");
        raw.putShort(RawEventLayout.CT + RawEventLayout.CT_L3NUM, (short) 7);
        assertNull(decoder(0).decode(raw, 0, RawEventLayout.DUMP).ct(), "not IPv4 or IPv6");
    }

    @Test
    void recordShorterThanTheLayoutIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> decoder(0).decode(ByteBuffer.allocate(64), 0, 64));
        assertTrue(e.getMessage().contains("disagree on the event layout"));
    }
}
