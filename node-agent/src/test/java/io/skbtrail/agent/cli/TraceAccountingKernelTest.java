package io.skbtrail.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skbtrail.agent.lab.AgentProcess;
import io.skbtrail.agent.lab.NetnsLab;
import io.skbtrail.agent.lab.Shell;
import io.skbtrail.agent.lab.TraceOutput;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.SummaryRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every event accounted for, bad input refused cleanly, nothing left attached. */
@Tag("kernel")
class TraceAccountingKernelTest {
    private static NetnsLab lab;
    private static String a;
    private static NetnsLab.End endB;

    @BeforeAll
    static void hosts() {
        lab = new NetnsLab();
        a = lab.host("a");
        String b = lab.host("b");
        endB = lab.link(a, b, 4)[1];
    }

    @AfterAll
    static void cleanUp() {
        lab.close();
    }

    @Test
    void overfilledRingBufferLosesNothingSilently() throws Exception {
        try (AgentProcess agent = AgentProcess.trace("--ringbuf-size", "1", "--rate-limit", "0",
                "udp and dst port 9995")) {
            agent.signal("STOP"); // the agent stops reading: the kernel fills the 1 MiB ring and counts the rest
            NetnsLab.tryExec(a, "timeout 3 socat -b 64 -u /dev/zero UDP-SENDTO:" + endB.ipv4() + ":9995 || true");
            agent.signal("CONT");
            assertEquals(0, agent.stop(), agent.stderr());
            TraceOutput out = TraceOutput.parse(agent.lines());
            SummaryRecord summary = out.summary().orElseThrow(() -> new AssertionError("no summary"));
            long ringLoss = summary.lost().get("kernel_ringbuf");
            assertTrue(ringLoss > 0, "the test must overfill the ring: " + summary);
            assertEquals(summary.matched(), summary.delivered() + ringLoss + summary.lost().get("rate_limit"),
                    "matched = delivered + lost, exactly: " + summary);
            assertEquals(summary.delivered(), out.events().size(), "every delivered event was printed");
            assertEquals(ringLoss, out.losses().stream().filter(l -> l.hop().equals("kernel_ringbuf"))
                    .mapToLong(LossRecord::count).sum(), "loss records add up to the summary");
        }
    }

    @Test
    void rateCapCountsWhatItHoldsBack() throws Exception {
        try (AgentProcess agent = AgentProcess.trace("--rate-limit", "100", "udp and dst port 9996")) {
            NetnsLab.tryExec(a, "timeout 1 socat -b 64 -u /dev/zero UDP-SENDTO:" + endB.ipv4() + ":9996 || true");
            assertEquals(0, agent.stop(), agent.stderr());
            SummaryRecord summary = TraceOutput.parse(agent.lines()).summary().orElseThrow();
            assertTrue(summary.lost().get("rate_limit") > 0, summary.toString());
            assertEquals(summary.matched(), summary.delivered() + summary.lost().get("kernel_ringbuf")
                    + summary.lost().get("rate_limit"), summary.toString());
        }
    }

    @Test
    void stoppingDetachesEveryProbe() throws Exception {
        try (AgentProcess agent = AgentProcess.trace("udp")) {
            assertTrue(Shell.run("bpftool prog show").contains("tp_netif_receiv"), "probes attached while tracing");
            assertEquals(0, agent.stop(), agent.stderr());
        }
        // The kernel frees programs after an RCU grace period: allow it a moment.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Shell.run("bpftool prog show").contains("tp_netif_receiv") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(!Shell.run("bpftool prog show").contains("tp_netif_receiv"), "no probe left after SIGINT");
    }

    @Test
    void outputOptionsAndLineLimit() throws Exception {
        NetnsLab.tryExec(a, "echo resolve-neighbour > /dev/udp/" + endB.ipv4() + "/9997");
        try (AgentProcess agent = AgentProcess.trace("--output-skb", "--output-packet-bytes", "20",
                "--output-limit-lines", "2", "udp and dst port 9997")) {
            NetnsLab.tryExec(a, "echo limit > /dev/udp/" + endB.ipv4() + "/9997");
            assertEquals(0, agent.awaitExit(), "the agent stops by itself after 2 events: " + agent.stderr());
            TraceOutput out = TraceOutput.parse(agent.lines());
            assertEquals(2, out.events().size(), out.describe());
            Event first = out.events().get(0);
            assertTrue(first.skbDump().contains(".len = (unsigned int)" + first.len()), first.skbDump());
            assertEquals(40, first.packet().length(), "20 bytes as hex");
            assertEquals("net:net_dev_queue", first.func());
            assertEquals("0800", first.packet().substring(24, 28),
                    "on transmit the bytes start with the Ethernet header (type IPv4): " + first.packet());
            SummaryRecord summary = out.summary().orElseThrow();
            assertEquals(2, summary.printed());
            assertTrue(summary.delivered() >= 2, summary.toString());
        }
    }

    @Test
    void missingKernelBtfIsOneClearLine() throws Exception {
        Shell.Result r = AgentProcess.runToExit("trace", "--kernel-btf", "/nonexistent/vmlinux", "udp");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("--kernel-btf /nonexistent/vmlinux: no such readable file"), r.output());
        assertEquals(1, r.output().lines().count(), r.output());
    }

    @Test
    void filterFuncMatchingNothingIsAUsageError() throws Exception {
        Shell.Result r = AgentProcess.runToExit("trace", "--backend", "tracepoint", "--filter-func", "no_such_probe", "udp");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("--filter-func no_such_probe matches no"), r.output());
    }

    @Test
    void malformedFilterIsAUsageError() throws Exception {
        Shell.Result r = AgentProcess.runToExit("trace", "tcp and dst port");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("invalid filter"), r.output());
        assertEquals(1, r.output().lines().count(), "one clear line, no stack trace:\n" + r.output());
    }

    @Test
    void badFlagValuesAreUsageErrors() throws Exception {
        for (String[] args : new String[][] {
                {"trace", "--filter-mark", "1/2/3"},
                {"trace", "--timestamp", "yesterday"},
                {"trace", "--backend", "magic"},
                {"trace", "--filter-netns", "inode:abc"},
                {"trace", "--no-such-flag"}}) {
            Shell.Result r = AgentProcess.runToExit(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.output());
            assertEquals(1, r.output().lines().count(), r.output());
        }
    }
}
