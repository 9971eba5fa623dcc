package io.skbtrail.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The records behind the hand-written lines in {@code golden/*.ndjson}. */
final class GoldenRecords {

    static final String BOOT_ID = "5d2e8b6a-3f1c-4e0a-9c1f-7b4d2a9e4c10";

    private GoldenRecords() {}

    static Event ipv4TcpFull() {
        return Event.builder()
                .time(Instant.parse("2026-11-24T21:27:03.000000123Z"))
                .ktimeNs(81_234_567_890_123L)
                .bootId(BOOT_ID)
                .seq(42)
                .cpu(3)
                .process("curl")
                .pid(227_116)
                .skb("0xffff8b7d9462c600")
                .packetId(7)
                .probeType(Event.ProbeType.KPROBE_MULTI)
                .func("kfree_skb_reason")
                .location("nf_hook_slow+0x9e")
                .dropReason("NETFILTER_DROP")
                .netns(4_026_531_840L)
                .mark(0xffff_ffffL)
                .ifindex(2)
                .iface("eth0")
                .proto(0x0800)
                .mtu(1500)
                .len(60)
                .tuple(new Event.Tuple("192.168.1.39", "1.0.0.1", 43210, 8080, "tcp", "SYN|ECE|CWR"))
                .stackOf("kfree_skb_reason", "nf_hook_slow", "__ip_local_out", "ip_local_out", "__ip_queue_xmit",
                        "__tcp_transmit_skb", "tcp_connect")
                .skbDump("(struct sk_buff){\n .len = (unsigned int)60,\n .protocol = (__be16)8,\n"
                        + " .name = \"eth0\",\n\t.note = a\\b <&>\u0001,\n}")
                .packet("4500003c1c4640004006b1e6c0a8012701000001"
                        + "a8ca1f905e4a2b1100000000a0c2faf01c2d0000"
                        + "020405b40402080a0a1b2c3d0000000001030307")
                .caller("nf_hook_slow")
                // the SYN's own header: no payload (data offset 40 of tot_len 60 minus the 20-byte IP header)
                .fp(new Event.Fingerprint(7238, 1_581_918_993L, 0L, 0, null, 0))
                .ct(new Event.Conntrack(Event.Conntrack.Direction.ORIGINAL,
                        new Event.CtTuple("192.168.1.39", "10.96.0.10", 43210, 80, "tcp"),
                        new Event.CtTuple("1.0.0.1", "192.168.1.39", 8080, 43210, "tcp")))
                .build();
    }

    static Event arpNulls() {
        return Event.builder()
                .time(Instant.parse("2026-11-24T21:27:03Z"))
                .bootId(BOOT_ID)
                .process("swapper/0")
                .skb("0xffff8b7d9462d000")
                .probeType(Event.ProbeType.TRACEPOINT)
                .func("net:netif_receive_skb")
                .proto(0x0806)
                .build();
    }

    static Event ipv6Udp() {
        return Event.builder()
                .time(Instant.parse("2026-11-24T21:27:04.5Z"))
                .ktimeNs(81_235_067_890_123L)
                .bootId(BOOT_ID)
                .seq(43)
                .cpu(11)
                .process("wörker")
                .pid(4242)
                .skb("0xffff8b7d81c4e900")
                .packetId(8)
                .probeType(Event.ProbeType.FENTRY)
                .func("ip6_rcv_core")
                .netns(4_026_532_451L)
                .mark(0x1234)
                .ifindex(17)
                .iface("lxc8f3a2b")
                .proto(0x86dd)
                .mtu(65535)
                .len(88)
                .tuple("2001:db8::1", 53124, "2606:4700:4700::1001", 8080, "udp")
                .fp(new Event.Fingerprint(null, null, null, 40, "88f5428aed67568c", 32))
                .build();
    }

    static Event icmpEcho() {
        return Event.builder()
                .time(Instant.parse("2026-11-24T21:27:05.000000001Z"))
                .ktimeNs(81_235_567_890_124L)
                .bootId(BOOT_ID)
                .seq(44)
                .cpu(1)
                .process("ping")
                .pid(3100)
                .skb("0xffff8b7d94a1b200")
                .packetId(9)
                .probeType(Event.ProbeType.KPROBE)
                .func("icmp_rcv")
                .netns(4_026_531_840L)
                .ifindex(1)
                .iface("lo")
                .proto(0x0800)
                .mtu(65536)
                .len(84)
                .tuple("127.0.0.1", 0, "127.0.0.1", 0, "icmp")
                .icmp(new Event.Icmp(8, 0, 4660, 1))
                .caller("ip_protocol_deliver_rcu")
                .fp(new Event.Fingerprint(0xbeef, null, null, 56, "b98bcdf6167b2cc5", 32))
                .build();
    }

    /** Seen at the outer receive point: the tuple is the outer UDP packet's, fp and encap the inner's. */
    static Event vxlanEncap() {
        return Event.builder()
                .time(Instant.parse("2026-11-24T21:27:05.25Z"))
                .ktimeNs(81_235_817_890_124L)
                .bootId(BOOT_ID)
                .seq(45)
                .cpu(0)
                .process("swapper/0")
                .skb("0xffff8b7d94a1c400")
                .packetId(10)
                .probeType(Event.ProbeType.TRACEPOINT)
                .func("net:netif_receive_skb")
                .netns(4_026_532_600L)
                .ifindex(3)
                .iface("eth1")
                .proto(0x0800)
                .mtu(1500)
                .len(133)
                .tuple("10.0.0.1", 54321, "10.0.0.2", 4789, "udp")
                .fp(new Event.Fingerprint(51_966, 305_419_896L, 2_882_400_001L, 31, "187aba96032e0996", 31))
                .encap(new Event.Encap(Event.Encap.VXLAN, 42,
                        new Event.Tuple("192.168.100.1", "192.168.100.2", 40000, 8080, "tcp", "PSH|ACK"), null))
                .build();
    }

    static LossRecord loss() {
        return new LossRecord(Instant.parse("2026-11-24T21:27:06.25Z"), "kernel_ringbuf", 17, 1234);
    }

    static SummaryRecord summary() {
        return new SummaryRecord(Instant.parse("2026-11-24T21:27:08.999999999Z"), "tracepoint", 3, 1000, 983, 983,
                Map.of("rate_limit", 0L, "kernel_ringbuf", 17L), 5_000_000_000L);
    }

    /** Golden file name → record, in the order the tests encode them. */
    static Map<String, WireRecord> all() {
        Map<String, WireRecord> all = new LinkedHashMap<>();
        all.put("event-ipv4-tcp-full.ndjson", ipv4TcpFull());
        all.put("event-arp-nulls.ndjson", arpNulls());
        all.put("event-ipv6-udp.ndjson", ipv6Udp());
        all.put("event-icmp-echo.ndjson", icmpEcho());
        all.put("event-vxlan-encap.ndjson", vxlanEncap());
        all.put("loss.ndjson", loss());
        all.put("summary.ndjson", summary());
        return all;
    }

    /** The golden file's text (one line with its {@code \n}). */
    static String read(String name) {
        return new String(readBytes(name), StandardCharsets.UTF_8);
    }

    static byte[] readBytes(String name) {
        try (InputStream in = GoldenRecords.class.getResourceAsStream("golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
