package io.skbtrail.agent.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.lab.AgentProcess;
import io.skbtrail.agent.lab.NetnsLab;
import io.skbtrail.agent.lab.TestBackend;
import io.skbtrail.agent.lab.TraceOutput;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJsonParser;
import io.skbtrail.protocol.WireRecord;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * DNAT on a router: A → R → B, where R rewrites A's packets to R:8080 into packets to B:8080. The
 * router's events after NAT carry conntrack's tuples ({@code ct}), so A's packet (to R) and B's (from A)
 * can be joined: the original tuple is what A sent, and the fingerprint is the same on all three.
 */
@Tag("kernel")
class NatKernelTest {
    private static final TestBackend BACKEND = TestBackend.current();
    private static NetnsLab lab;
    private static String a;
    private static String b;
    private static NetnsLab.End hostA;
    private static NetnsLab.End routerFacingA;
    private static NetnsLab.End routerFacingB;
    private static NetnsLab.End hostB;
    private static long netnsA;
    private static long netnsR;
    private static long netnsB;

    @BeforeAll
    static void hosts() {
        lab = new NetnsLab();
        a = lab.host("a");
        String r = lab.host("r");
        b = lab.host("b");
        NetnsLab.End[] ar = lab.link(a, r, 42);
        NetnsLab.End[] rb = lab.link(r, b, 43);
        hostA = ar[0];
        routerFacingA = ar[1];
        routerFacingB = rb[0];
        hostB = rb[1];
        netnsA = NetnsLab.inode(a);
        netnsR = NetnsLab.inode(r);
        netnsB = NetnsLab.inode(b);
        NetnsLab.exec(r, "sysctl -qw net.ipv4.ip_forward=1");
        NetnsLab.exec(a, "ip route add default via " + routerFacingA.ipv4());
        NetnsLab.exec(b, "ip route add default via " + routerFacingB.ipv4());
        NetnsLab.exec(r, "iptables -w 10 -t nat -A PREROUTING -p tcp -d " + routerFacingA.ipv4()
                + " --dport 8080 -j DNAT --to-destination " + hostB.ipv4() + ":8080");
    }

    @AfterAll
    static void cleanUp() {
        lab.close();
    }

    private static Predicate<Event> at(long netns, String func) {
        return e -> e.netns() == netns && e.func().equals(func);
    }

    private static Event first(TraceOutput out, Predicate<Event> p, String what) {
        List<Event> found = out.where(p);
        assertFalse(found.isEmpty(), what + " not found:\n" + out.describe());
        return found.get(0);
    }

    private static Event.CtTuple ctTuple(String saddr, String daddr, int sport, int dport) {
        return new Event.CtTuple(saddr, daddr, sport, dport, "tcp");
    }

    @Test
    void routerEventsAfterDnatCarryTheOriginalTupleAndTheFingerprintJoinsAllThreeHosts() throws Exception {
        NetnsLab.exec(b, "(timeout 8 socat -u TCP-LISTEN:8080,reuseaddr /dev/null >/dev/null 2>&1 &)");
        NetnsLab.exec(b, "for i in $(seq 50); do ss -ltn | grep -q :8080 && break; sleep 0.1; done");
        Predicate<Event> synAckBackToA = e -> e.netns() == netnsA && e.tuple() != null
                && e.tuple().tcpFlags().equals("SYN|ACK") && e.func().equals(BACKEND.receivePoint("ip"));
        TraceOutput out;
        try (AgentProcess agent = AgentProcess.trace("tcp and port 8080")) {
            NetnsLab.exec(a, "printf hello > /dev/tcp/" + routerFacingA.ipv4() + "/8080");
            boolean seen = agent.awaitLine(line -> {
                WireRecord r = EventJsonParser.parse(line);
                return r instanceof Event e && synAckBackToA.test(e);
            });
            assertEquals(0, agent.stop(), agent.stderr());
            out = TraceOutput.parse(agent.lines());
            assertTrue(seen, out.describe());
        }

        Predicate<Event> syn = e -> e.tuple() != null && e.tuple().tcpFlags().equals("SYN");
        Event synFromA = first(out, syn.and(at(netnsA, BACKEND.transmitPoint())), "A's SYN");
        assertEquals(routerFacingA.ipv4(), synFromA.tuple().daddr(), "A talks to the router's address");
        assertNull(synFromA.ct(), "no NAT on A");
        int port = synFromA.tuple().sport();
        Event.CtTuple orig = ctTuple(hostA.ipv4(), routerFacingA.ipv4(), port, 8080);
        Event.CtTuple reply = ctTuple(hostB.ipv4(), hostA.ipv4(), 8080, port);

        Event arrivingAtRouter = first(out, syn.and(at(netnsR, BACKEND.receivePoint("ip"))), "the SYN entering R");
        assertNull(arrivingAtRouter.ct(), "conntrack has not seen the packet yet where it enters the router");
        Event leavingRouter = first(out, syn.and(at(netnsR, BACKEND.transmitPoint())), "the SYN leaving R");
        assertEquals(hostB.ipv4(), leavingRouter.tuple().daddr(), "rewritten to B");
        assertEquals(new Event.Conntrack(Event.Conntrack.Direction.ORIGINAL, orig, reply), leavingRouter.ct());
        Event arrivingAtB = first(out, syn.and(at(netnsB, BACKEND.receivePoint("ip"))), "the SYN at B");
        assertNull(arrivingAtB.ct(), "B does no NAT");
        assertEquals(hostA.ipv4(), arrivingAtB.tuple().saddr());

        // The join: the router's original tuple is A's packet, and DNAT keeps the fingerprint.
        Event.Tuple sent = synFromA.tuple();
        assertEquals(orig, ctTuple(sent.saddr(), sent.daddr(), sent.sport(), sent.dport()));
        assertEquals(synFromA.fp(), leavingRouter.fp());
        assertEquals(synFromA.fp(), arrivingAtB.fp());

        // The reply, un-NATed on the router on its way back to A: conntrack's reply direction.
        Predicate<Event> synAck = e -> e.tuple() != null && e.tuple().tcpFlags().equals("SYN|ACK");
        Event replyLeavingRouter = first(out, synAck.and(at(netnsR, BACKEND.transmitPoint())), "the SYN-ACK leaving R");
        assertEquals(routerFacingA.ipv4(), replyLeavingRouter.tuple().saddr(), "A sees the router's address");
        assertEquals(new Event.Conntrack(Event.Conntrack.Direction.REPLY, orig, reply), replyLeavingRouter.ct());
        // Every router event after conntrack is about this one connection.
        assertTrue(out.where(e -> e.ct() != null).stream().allMatch(e -> e.netns() == netnsR || e.netns() == 0),
                out.describe());
    }
}
