package io.skbtrail.agent.cli;

import static io.skbtrail.agent.lab.TraceOutput.dport;
import static io.skbtrail.agent.lab.TraceOutput.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.skbtrail.agent.lab.AgentProcess;
import io.skbtrail.agent.lab.NetnsLab;
import io.skbtrail.agent.lab.TestBackend;
import io.skbtrail.agent.lab.TraceOutput;
import io.skbtrail.protocol.Event;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * pwru's end-to-end scenarios with the tracepoint backend on this machine's kernel: real probes, real
 * packets between two network namespaces (hosts A and B) joined by a veth pair.
 */
@Tag("kernel")
class TraceFilterKernelTest {
    private static final TestBackend BACKEND = TestBackend.current();
    /** sk_skb_reason_drop since 6.11; kfree_skb_reason before. */
    private static final Set<String> DROP_FUNCTIONS = Set.of("sk_skb_reason_drop", "kfree_skb_reason");
    private static NetnsLab lab;
    private static String a;
    private static String b;
    private static NetnsLab.End endA;
    private static NetnsLab.End endB;

    @BeforeAll
    static void hosts() {
        lab = new NetnsLab();
        a = lab.host("a");
        b = lab.host("b");
        NetnsLab.End[] ends = lab.link(a, b, 1);
        endA = ends[0];
        endB = ends[1];
    }

    @AfterAll
    static void cleanUp() {
        lab.close();
    }

    private static void tcpConnect(String ns, String host, int port) {
        NetnsLab.tryExec(ns, "timeout 2 bash -c \"echo > /dev/tcp/" + host + "/" + port + "\"");
    }

    private static void udpSend(String ns, String host, int port) {
        NetnsLab.tryExec(ns, "echo probe > /dev/udp/" + host + "/" + port);
    }

    private static TraceOutput traceWhile(Runnable traffic, Predicate<Event> awaited, String... args) throws Exception {
        try (AgentProcess agent = AgentProcess.trace(args)) {
            traffic.run();
            agent.awaitLine(line -> line.contains("\"type\":\"event\"") && awaited.test(
                    (Event) io.skbtrail.protocol.EventJsonParser.parse(line)));
            assertEquals(0, agent.stop(), agent.stderr());
            return TraceOutput.parse(agent.lines());
        }
    }

    @Test
    void iptablesDropInOutputIsReportedWithReasonAndLocation() throws Exception {
        NetnsLab.exec(a, "iptables -w 10 -I OUTPUT 1 -p tcp -d " + endB.ipv4() + " --dport 8080 -j DROP");
        try {
            Predicate<Event> drop = e -> "NETFILTER_DROP".equals(e.dropReason()) && e.func().equals("skb:kfree_skb");
            TraceOutput out = traceWhile(() -> {
                tcpConnect(a, endB.ipv4(), 8081);
                tcpConnect(a, endB.ipv4(), 8080);
            }, drop, "--output-stack", "tcp and dst host " + endB.ipv4() + " and dst port 8080");

            Event dropped = out.where(drop).stream().findFirst().orElseThrow(() -> new AssertionError(out.describe()));
            // Where the skb was freed: nf_hook_slow, or on kernels whose nf_tables frees it itself
            // (6.x), nft_do_chain called from nf_hook_slow — the stack shows both.
            assertTrue(Set.of("nf_hook_slow", "nft_do_chain").contains(dropped.location()), dropped.location());
            assertTrue(dropped.stack().contains("nf_hook_slow"), String.valueOf(dropped.stack()));
            assertTrue(DROP_FUNCTIONS.contains(dropped.stack().get(0)), "the probe's own frames are not shown: "
                    + dropped.stack());
            if (BACKEND.isKprobe()) {
                // The function-level path: nf_hook_slow, then the drop function with its reason.
                assertTrue(out.any(e -> e.func().equals("nf_hook_slow")), out.describe());
                assertTrue(out.any(e -> DROP_FUNCTIONS.contains(e.func()) && "NETFILTER_DROP".equals(e.dropReason())
                        && Set.of("nf_hook_slow", "nft_do_chain").contains(e.location())), out.describe());
            }
            assertEquals(endA.ipv4(), dropped.tuple().saddr());
            assertEquals(endB.ipv4(), dropped.tuple().daddr());
            assertEquals(8080, dropped.tuple().dport());
            assertEquals("tcp", dropped.tuple().proto());
            assertEquals("SYN", dropped.tuple().tcpFlags());
            assertEquals(NetnsLab.inode(a), dropped.netns());
            assertTrue(out.allAbout(to(endB.ipv4(), 8080)), "the filter let other traffic through:\n"
                    + out.describe());
        } finally {
            NetnsLab.exec(a, "iptables -w 10 -D OUTPUT 1");
        }
    }

    @Test
    void udpToAClosedPortIsDroppedForNoSocket() throws Exception {
        Predicate<Event> noSocket = e -> "NO_SOCKET".equals(e.dropReason()) && e.func().equals("skb:kfree_skb");
        TraceOutput out = traceWhile(() -> udpSend(a, endB.ipv4(), 9999), noSocket, "udp and dst port 9999");

        Event dropped = out.where(noSocket).stream().findFirst().orElseThrow(() -> new AssertionError(out.describe()));
        assertEquals(NetnsLab.inode(b), dropped.netns(), "dropped on host B");
        assertEquals(endB.ipv4(), dropped.tuple().daddr());
        assertEquals("udp", dropped.tuple().proto());
        // The same packet crossed the veth: transmitted on A, received on B, under one packet id.
        assertTrue(out.any(e -> e.packetId() == dropped.packetId() && e.func().equals(BACKEND.transmitPoint())
                && e.netns() == NetnsLab.inode(a)), out.describe());
        assertTrue(out.any(e -> e.packetId() == dropped.packetId() && e.func().equals(BACKEND.receivePoint("ip"))
                && endB.ifname().equals(e.iface())), out.describe());
    }

    @Test
    void tcpFlagsExpressionMatchesOnlySyn() throws Exception {
        TraceOutput out = traceWhile(() -> tcpConnect(a, endB.ipv4(), 8082), to(endB.ipv4(), 8082),
                "tcp[tcpflags] = tcp-syn and net 10.231.0.0/16");
        assertTrue(out.any(to(endB.ipv4(), 8082)), out.describe());
        assertTrue(out.allAbout(e -> "SYN".equals(e.tuple().tcpFlags())),
                "only SYNs match, not B's RST|ACK:\n" + out.describe());
    }

    @Test
    void ipv6HostAndPortFilter() throws Exception {
        TraceOutput out = traceWhile(() -> {
            tcpConnect(a, endB.ipv6(), 8083);
            tcpConnect(a, endB.ipv6(), 8084);
        }, to(endB.ipv6(), 8083), "ip6 and dst host " + endB.ipv6() + " and tcp dst port 8083");
        assertTrue(out.any(e -> to(endB.ipv6(), 8083).test(e) && e.func().equals(BACKEND.receivePoint("ipv6"))),
                out.describe());
        assertTrue(out.allAbout(to(endB.ipv6(), 8083)), out.describe());
    }

    @Test
    void payloadLengthArithmeticMatchesOnlySegmentsWithData() throws Exception {
        NetnsLab.exec(b, "(socat -u TCP-LISTEN:8085,reuseaddr OPEN:/dev/null >/dev/null 2>&1 &) ; sleep 0.3");
        Predicate<Event> data = e -> dport(8085).test(e) && e.tuple().tcpFlags().contains("PSH");
        TraceOutput out = traceWhile(() -> NetnsLab.tryExec(a, "echo hello-skbtrail > /dev/tcp/" + endB.ipv4() + "/8085"),
                data, "host " + endB.ipv4() + " and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)");
        assertTrue(out.any(data), out.describe());
        assertFalse(out.any(e -> e.tuple() != null && e.tuple().tcpFlags().equals("SYN")),
                "a bare SYN has no payload:\n" + out.describe());
        assertFalse(out.any(e -> e.tuple() != null && e.tuple().tcpFlags().equals("ACK")),
                "a bare ACK has no payload:\n" + out.describe());
    }

    @Test
    void retransmissionFromTheWriteQueueMatchesThroughItsSocket() throws Exception {
        assumeTrue(!BACKEND.isKprobe(), "the tcp tracepoints that pass the socket are attached by the tracepoint"
                + " backend only");
        NetnsLab.exec(b, "(socat -u TCP-LISTEN:8086,reuseaddr OPEN:/dev/null >/dev/null 2>&1 &) ; sleep 0.3");
        Predicate<Event> retransmit = e -> e.func().equals("tcp:tcp_retransmit_skb");
        TraceOutput out = traceWhile(() -> NetnsLab.tryExec(a, "exec 3<>/dev/tcp/" + endB.ipv4() + "/8086; "
                        + "ip netns exec " + b + " iptables -w 10 -I INPUT 1 -p tcp --dport 8086 -j DROP; "
                        + "echo data >&3; sleep 1.5; ip netns exec " + b + " iptables -w 10 -D INPUT 1"),
                retransmit, "tcp and dst port 8086 and tcp[tcpflags] & tcp-push != 0");
        // A write-queue skb has no headers: the tuple (and the filter's view) comes from the socket.
        Event first = out.where(retransmit).stream().findFirst().orElseThrow(() -> new AssertionError(out.describe()));
        assertEquals(endA.ipv4(), first.tuple().saddr());
        assertEquals(endB.ipv4(), first.tuple().daddr());
        assertEquals(8086, first.tuple().dport());
        assertTrue(first.tuple().tcpFlags().contains("PSH"), first.tuple().tcpFlags());
    }

    @Test
    void arpFilterMatchesOnTheEthernetHeaderOnly() throws Exception {
        String targetHex = String.format("0x%02x%02x%02x%02x", 10, 231, 1, 2);
        NetnsLab.exec(a, "ip neigh flush all");
        Predicate<Event> arp = e -> e.proto() == 0x0806;
        TraceOutput out = traceWhile(() -> udpSend(a, endB.ipv4(), 9990), e -> arp.test(e)
                        && e.func().equals(BACKEND.receivePoint("arp")),
                "arp and arp[7] = 1 and arp[24:4] = " + targetHex);
        assertTrue(out.any(e -> arp.test(e) && e.func().equals(BACKEND.queuePoint()) && endA.ifname().equals(e.iface())),
                out.describe());
        assertTrue(out.any(e -> arp.test(e) && e.func().equals(BACKEND.receivePoint("arp"))
                && endB.ifname().equals(e.iface())), out.describe());
        assertTrue(out.allAbout(arp), out.describe());
    }

    @Test
    void netnsFilterKeepsOneHost() throws Exception {
        long inodeB = NetnsLab.inode(b);
        TraceOutput out = traceWhile(() -> udpSend(a, endB.ipv4(), 9991), e -> e.netns() == inodeB && e.dropReason() != null,
                "--filter-netns", "/run/netns/" + b, "udp and dst port 9991");
        assertTrue(out.any(e -> e.netns() == inodeB), out.describe());
        assertTrue(out.events().stream().allMatch(e -> e.netns() == inodeB), out.describe());

        TraceOutput byInode = traceWhile(() -> udpSend(a, endB.ipv4(), 9991), e -> e.netns() == inodeB,
                "--filter-netns", "inode:" + inodeB, "udp and dst port 9991");
        assertTrue(byInode.any(e -> e.netns() == inodeB) && byInode.events().stream().allMatch(e -> e.netns() == inodeB),
                byInode.describe());
    }

    @Test
    void markFilterWithMask() throws Exception {
        NetnsLab.exec(a, "iptables -w 10 -t mangle -I OUTPUT 1 -p udp --dport 9992 -j MARK --set-mark 0x1234");
        try {
            TraceOutput out = traceWhile(() -> {
                udpSend(a, endB.ipv4(), 9993);
                udpSend(a, endB.ipv4(), 9992);
            }, dport(9992), "--filter-mark", "0x1200/0xff00", "udp");
            assertTrue(out.any(dport(9992)), out.describe());
            assertTrue(out.allAbout(e -> (e.mark() & 0xff00) == 0x1200 && dport(9992).test(e)),
                    out.describe());
        } finally {
            NetnsLab.exec(a, "iptables -w 10 -t mangle -D OUTPUT 1");
        }
    }

    @Test
    void interfaceFilterInsideANetns() throws Exception {
        int ifindexB = Integer.parseInt(NetnsLab.exec(b, "cat /sys/class/net/" + endB.ifname() + "/ifindex").trim());
        TraceOutput out = traceWhile(() -> udpSend(a, endB.ipv4(), 9994), dport(9994),
                "--filter-netns", "/run/netns/" + b, "--filter-ifname", endB.ifname(), "udp and dst port 9994");
        assertTrue(out.any(dport(9994)), out.describe());
        assertTrue(out.events().stream().allMatch(e -> e.ifindex() == ifindexB && endB.ifname().equals(e.iface())),
                out.describe());
    }
}
