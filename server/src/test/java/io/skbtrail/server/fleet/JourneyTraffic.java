package io.skbtrail.server.fleet;

import io.skbtrail.protocol.Event;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Traffic for the journeys benchmark, as three tracepoint-backend agents would report it for packets from host a
 * through a router to host b: UDP flows (a tenth over IPv6, without IPv4 IDs), TCP flows with a GSO super-packet
 * on a now and then that the router and b see as wire segments, drops on the router (firewall) and on b (no
 * socket), each host with its own packet ids, the router's clock 3 ms ahead, skb addresses from one small pool
 * shared by the three hosts (as namespaces on one kernel share them).
 */
final class JourneyTraffic {
    static final String[] HOSTS = {"a", "router", "b"};
    /** Each host's clock minus the server's, and its uncertainty, as the agent link would have measured them. */
    static final long[] OFFSET_NS = {0, 3_000_000, -1_000_000};
    static final long[] UNCERTAINTY_NS = {60_000, 90_000, 75_000};

    private final SplittableRandom random = new SplittableRandom(42);
    private final String boot = UUID.randomUUID().toString();
    private final long[] packetIds = new long[3];
    private final long[] seqs = new long[3];
    private final int[] ipIds;
    private final long[] tcpSeq;
    private final Instant start;
    private long clock;
    long packets;
    long events;

    private static final int FLOWS = 400;

    JourneyTraffic(Instant start) {
        this.start = start;
        ipIds = new int[FLOWS];
        tcpSeq = new long[FLOWS];
        for (int f = 0; f < FLOWS; f++) {
            ipIds[f] = random.nextInt(65536);
            tcpSeq[f] = random.nextLong(1L << 32);
        }
    }

    /** Emits the events of the next packet (one, or a GSO super-packet's worth) to {@code out(host index, event)}. */
    void next(BiConsumer<Integer, Event> out) {
        int flow = random.nextInt(FLOWS);
        boolean tcp = flow % 4 == 0;
        boolean v6 = !tcp && flow % 10 == 1;
        clock += 40_000 + random.nextInt(40_000);
        long t = clock;
        String src = v6 ? "2001:db8:1::" + (flow % 50 + 1) : "10.0.1." + (flow % 50 + 1);
        String dst = v6 ? "2001:db8:2::" + (flow % 7 + 1) : "10.0.2." + (flow % 7 + 1);
        int sport = 32768 + flow * 37 % 20000;
        int dport = tcp ? 8080 : flow % 3 == 0 ? 53 : 9000 + flow % 5;
        String proto = tcp ? "tcp" : "udp";
        boolean gso = tcp && random.nextInt(20) == 0;
        int segments = gso ? 3 : 1;
        int mss = 1448;
        int payload = tcp ? mss * segments : 20 + random.nextInt(200);
        Integer ipId = v6 ? null : nextId(flow, segments);
        Long seq = tcp ? tcpSeq[flow] : null;
        Long ack = tcp ? 1_000_000L + flow : null;
        if (tcp) {
            tcpSeq[flow] = (tcpSeq[flow] + payload) & 0xffffffffL;
        }
        Long hash = tcp ? null : random.nextLong();
        int hashed = tcp ? 0 : Math.min(32, payload);
        Event.Tuple tuple = new Event.Tuple(src, dst, sport, dport, proto, tcp ? "ACK|PSH" : "");
        Event.Fingerprint fp = new Event.Fingerprint(ipId, seq, ack, payload, hash == null ? null
                : Event.Fingerprint.hashText(hash), hashed);
        long aPacket = ++packetIds[0];
        emit(out, 0, aPacket, t, tuple, fp, "net:net_dev_queue", null, null);
        emit(out, 0, aPacket, t + 1_500, tuple, fp, "net:net_dev_start_xmit", null, null);
        emit(out, 0, aPacket, t + 4_000, null, null, "net:net_dev_xmit", null, null);
        boolean routerDrop = random.nextInt(10) == 0;
        boolean noSocket = !routerDrop && !tcp && random.nextInt(20) == 0;
        for (int s = 0; s < segments; s++) {
            Event.Fingerprint wire = !gso ? fp : new Event.Fingerprint(ipId == null ? null : (ipId + s) & 0xffff,
                    (seq + (long) s * mss) & 0xffffffffL, ack, mss, null, 0);
            long r = t + 12_000 + s * 3_000L;
            long rPacket = ++packetIds[1];
            emit(out, 1, rPacket, r, tuple, wire, "net:netif_receive_skb", null, null);
            if (routerDrop) {
                emit(out, 1, rPacket, r + 5_000, tuple, wire, "skb:kfree_skb", "NETFILTER_DROP", "nft_do_chain");
                continue;
            }
            emit(out, 1, rPacket, r + 6_000, tuple, wire, "net:net_dev_queue", null, null);
            emit(out, 1, rPacket, r + 7_500, tuple, wire, "net:net_dev_start_xmit", null, null);
            emit(out, 1, rPacket, r + 9_000, null, null, "net:net_dev_xmit", null, null);
            long b = r + 20_000;
            long bPacket = ++packetIds[2];
            emit(out, 2, bPacket, b, tuple, wire, "net:netif_receive_skb", null, null);
            if (noSocket) {
                emit(out, 2, bPacket, b + 4_000, tuple, wire, "skb:kfree_skb", "NO_SOCKET", "__udp4_lib_rcv");
            } else if (tcp) {
                emit(out, 2, bPacket, b + 5_000, tuple, wire, "tcp:tcp_probe", null, null);
                emit(out, 2, bPacket, b + 30_000, tuple, wire, "skb:skb_copy_datagram_iovec", null, null);
            } else {
                emit(out, 2, bPacket, b + 8_000, tuple, wire, "skb:skb_copy_datagram_iovec", null, null);
                emit(out, 2, bPacket, b + 9_000, tuple, wire, "skb:consume_skb", null, "skb_consume_udp");
            }
        }
        packets++;
    }

    private int nextId(int flow, int segments) {
        int id = ipIds[flow];
        ipIds[flow] = (id + segments) & 0xffff;
        return id;
    }

    private void emit(BiConsumer<Integer, Event> out, int host, long packetId, long ns, Event.Tuple tuple,
            Event.Fingerprint fp, String func, String drop, String location) {
        long seq = ++seqs[host];
        Instant time = start.plusNanos(ns + OFFSET_NS[host]);
        out.accept(host, Event.builder().time(time).ktimeNs(5_000_000_000L + ns).bootId(boot).seq(seq)
                .cpu((int) (packetId & 1)).process("ksoftirqd/" + (packetId & 1)).pid(12 + (int) (packetId & 1))
                .skb("0xffff888104" + String.format("%06x", (packetId * 7919 % 1024) * 256)).packetId(packetId)
                .probeType(Event.ProbeType.TRACEPOINT).func(func).location(location).dropReason(drop)
                .netns(4026532100L + host).mark(0).ifindex(2 + host).iface(host == 1 ? "r-eth" + (func.contains("rx")
                        || func.contains("receive") ? "0" : "1") : "veth" + host).proto(tuple == null ? 0 : tuple.saddr().indexOf(':') >= 0 ? 0x86DD : 0x0800)
                .mtu(1500).len(tuple == null ? 0 : 60 + (fp.payloadLen() == null ? 0 : fp.payloadLen())).tuple(tuple)
                .fp(fp).build());
        events++;
    }
}
