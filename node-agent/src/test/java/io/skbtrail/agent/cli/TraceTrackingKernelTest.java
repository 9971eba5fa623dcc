package io.skbtrail.agent.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.lab.AgentProcess;
import io.skbtrail.agent.lab.NetnsLab;
import io.skbtrail.agent.lab.TraceOutput;
import io.skbtrail.protocol.Event;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * --filter-track-skb across a DNAT in PREROUTING of a router namespace: A → R → B, where R rewrites
 * the destination of A's packets to B. (Locally generated traffic is NATed before the first skb
 * tracepoint, so pwru's OUTPUT-DNAT scenario cannot show tracking with tracepoints.)
 */
@Tag("kernel")
class TraceTrackingKernelTest {
    private static NetnsLab lab;
    private static String a;
    private static NetnsLab.End routerFacingA;
    private static NetnsLab.End hostB;

    @BeforeAll
    static void hosts() {
        lab = new NetnsLab();
        a = lab.host("a");
        String r = lab.host("r");
        String b = lab.host("b");
        NetnsLab.End[] ar = lab.link(a, r, 2);
        NetnsLab.End[] rb = lab.link(r, b, 3);
        routerFacingA = ar[1];
        hostB = rb[1];
        NetnsLab.exec(r, "sysctl -qw net.ipv4.ip_forward=1");
        NetnsLab.exec(a, "ip route add default via " + ar[1].ipv4());
        NetnsLab.exec(b, "ip route add default via " + rb[0].ipv4());
        NetnsLab.exec(r, "iptables -w 10 -t nat -A PREROUTING -p tcp -d " + routerFacingA.ipv4()
                + " --dport 8080 -j DNAT --to-destination " + hostB.ipv4() + ":8080");
    }

    @AfterAll
    static void cleanUp() {
        lab.close();
    }

    private TraceOutput trace(String... args) throws Exception {
        Predicate<Event> postNat = TraceOutput.to(hostB.ipv4(), 8080);
        try (AgentProcess agent = AgentProcess.trace(args)) {
            NetnsLab.tryExec(a, "timeout 2 bash -c \"echo > /dev/tcp/" + routerFacingA.ipv4() + "/8080\"");
            agent.awaitLine(line -> line.contains("\"daddr\":\"" + hostB.ipv4() + "\""));
            agent.stop();
            return TraceOutput.parse(agent.lines());
        }
    }

    @Test
    void trackedSkbIsFollowedAfterDnat() throws Exception {
        String preNat = "tcp and dst host " + routerFacingA.ipv4() + " and dst port 8080";
        TraceOutput out = trace("--filter-track-skb", preNat);

        Set<Long> preNatPackets = out.where(TraceOutput.to(routerFacingA.ipv4(), 8080)).stream()
                .map(Event::packetId).collect(Collectors.toSet());
        assertFalse(preNatPackets.isEmpty(), out.describe());
        assertTrue(out.any(e -> TraceOutput.to(hostB.ipv4(), 8080).test(e) && preNatPackets.contains(e.packetId())),
                "the rewritten packet is reported under the packet id it had before NAT:\n" + out.describe());
    }

    @Test
    void withoutTrackingThePostNatHopsAreFilteredOut() throws Exception {
        TraceOutput out = trace("tcp and dst host " + routerFacingA.ipv4() + " and dst port 8080");
        assertTrue(out.any(TraceOutput.to(routerFacingA.ipv4(), 8080)), out.describe());
        assertFalse(out.any(TraceOutput.to(hostB.ipv4(), 8080)), out.describe());
    }
}
