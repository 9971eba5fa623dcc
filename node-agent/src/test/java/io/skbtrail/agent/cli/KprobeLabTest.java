package io.skbtrail.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.skbtrail.agent.lab.AgentProcess;
import io.skbtrail.agent.lab.NetnsLab;
import io.skbtrail.agent.lab.Shell;
import io.skbtrail.agent.lab.TestBackend;
import io.skbtrail.agent.lab.TraceOutput;
import io.skbtrail.protocol.Event;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What only the kernel lab's guests can show (Debian 6.1 and 6.12 under QEMU, scripts/kernel-lab):
 * the choice of backend, clones followed through fexit, and receive-side filtering on a real NIC driver
 * (two virtio-net NICs joined by a QEMU hub).
 */
@Tag("lab")
class KprobeLabTest {
    private static final TestBackend BACKEND = TestBackend.current();

    private static TraceOutput traceWhile(Runnable traffic, String... args) throws Exception {
        try (AgentProcess agent = AgentProcess.trace(args)) {
            traffic.run();
            Thread.sleep(1500);
            assertEquals(0, agent.stop(), agent.stderr());
            return TraceOutput.parse(agent.lines());
        }
    }

    @Test
    void autoTakesTheBestBackendAndSaysWhy() throws Exception {
        assumeTrue(BACKEND == TestBackend.KPROBE, "runs once per kernel, with the kprobe pass");
        String release = Shell.run("uname -r").trim();
        try (AgentProcess agent = AgentProcess.trace("--backend", "auto", "--filter-func", "ip_rcv", "udp")) {
            String said = agent.stderr();
            agent.stop();
            if (release.startsWith("6.1.")) {
                assertTrue(said.contains("backend kprobe (auto: kprobe.multi unavailable: kernel built without"
                        + " CONFIG_FPROBE"), said);
            } else {
                assertTrue(said.contains("backend kprobe-multi (auto: the best this kernel allows)"), said);
            }
        }
    }

    @Test
    void ctrlCDuringAttachLeavesNothingAttached() throws Exception {
        assumeTrue(BACKEND == TestBackend.KPROBE, "one kprobe per function: the attach that takes long enough");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("cancel");
        StopSignal stop = new StopSignal();
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8);
        int[] exit = {-1};
        Thread agent = new Thread(() -> exit[0] = Main.trace(new String[] {"--backend", "kprobe", "--output-file",
                dir.resolve("out").toString(), "udp"}, err, stop));
        agent.start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!said.toString().contains("attaching kprobes:") && System.nanoTime() < deadline && agent.isAlive()) {
            Thread.sleep(20);
        }
        assertTrue(said.toString().contains("attaching kprobes:"), said.toString());
        stop.request();
        agent.join(120_000);
        assertEquals(0, exit[0], said.toString());
        assertTrue(said.toString().contains("stopped while attaching"), said.toString());
        long wait = System.nanoTime() + 10_000_000_000L;
        while (Shell.run("bpftool prog show").contains("kprobe_skb_") && System.nanoTime() < wait) {
            Thread.sleep(100);
        }
        assertFalse(Shell.run("bpftool prog show").contains("kprobe_skb_"), "nothing left attached");
    }

    @Test
    void trackSkbFollowsAClone() throws Exception {
        try (NetnsLab lab = new NetnsLab()) {
            String a = lab.host("a");
            String b = lab.host("b");
            NetnsLab.End[] ends = lab.link(a, b, 20);
            // A packet tap on A's interface: every transmitted skb is cloned for it (dev_queue_xmit_nit).
            NetnsLab.exec(a, "(tcpdump -i " + ends[0].ifname() + " -w /dev/null >/tmp/tcpdump-" + a
                    + ".log 2>&1 &); for i in $(seq 50); do grep -q listening /tmp/tcpdump-" + a
                    + ".log && break; sleep 0.1; done");
            Runnable send = () -> NetnsLab.tryExec(a, "echo clone > /dev/udp/" + ends[1].ipv4() + "/9981");

            // The tap frees its clone once copied (tpacket_rcv for tcpdump's ring, packet_rcv otherwise).
            java.util.function.Predicate<Event> atTap = e -> Set.of("tpacket_rcv", "packet_rcv").contains(e.func())
                    || Set.of("tpacket_rcv", "packet_rcv").contains(String.valueOf(e.location()));
            TraceOutput tracked = traceWhile(send, "--filter-track-skb", "udp and dst port 9981");
            Event tap = tracked.where(atTap).stream().findFirst()
                    .orElseThrow(() -> new AssertionError("no event at the tap:\n" + tracked.describe()));
            Map<Long, Set<String>> skbsPerPacket = tracked.events().stream().collect(
                    Collectors.groupingBy(Event::packetId, Collectors.mapping(Event::skb, Collectors.toSet())));
            assertTrue(skbsPerPacket.get(tap.packetId()).size() >= 2,
                    "the tap's clone carries the packet id of the skb it was cloned from:\n" + tracked.describe());

            TraceOutput untracked = traceWhile(send, "udp and dst port 9981");
            Event tapAlone = untracked.where(atTap).stream().findFirst()
                    .orElseThrow(() -> new AssertionError(untracked.describe()));
            assertEquals(Set.of(tapAlone.skb()), untracked.where(e -> e.packetId() == tapAlone.packetId()).stream()
                    .map(Event::skb).collect(Collectors.toSet()), "without tracking a clone is a packet of its own");
        }
    }

    @Test
    void tcAndXdpProgramsAreTraced() throws Exception {
        String fixture = java.nio.file.Path.of(getClass().getResource("/bpf/pass.bpf.o").toURI()).toString();
        try (NetnsLab lab = new NetnsLab()) {
            String a = lab.host("a");
            String b = lab.host("b");
            NetnsLab.End[] ends = lab.link(a, b, 21);
            String dev = ends[1].ifname();
            NetnsLab.exec(b, "ip link set dev " + dev + " xdp obj " + fixture + " sec xdp"
                    + " && tc qdisc add dev " + dev + " clsact"
                    + " && tc filter add dev " + dev + " ingress bpf da obj " + fixture + " sec tc");
            TraceOutput out = traceWhile(() -> NetnsLab.tryExec(a, "echo bpf > /dev/udp/" + ends[1].ipv4() + "/9983"),
                    "--filter-trace-tc", "--filter-trace-xdp", "udp and dst port 9983");
            for (String program : List.of("xdp:xdp_pass", "tc:tc_pass")) {
                assertTrue(out.any(e -> e.func().equals(program) && e.probeType() == Event.ProbeType.FENTRY
                        && dev.equals(e.iface()) && TraceOutput.to(ends[1].ipv4(), 9983).test(e)),
                        program + " on " + dev + ":\n" + out.describe());
            }
        }
    }

    @Test
    void receiveFilteringOnARealNicDriver() throws Exception {
        List<String> nics = Shell.run("for n in /sys/class/net/*; do [ \"$(basename $(readlink -f $n/device/driver"
                + " 2>/dev/null) 2>/dev/null)\" = virtio_net ] && basename $n; done; true").lines().toList();
        assertTrue(nics.size() >= 2, "the lab guest has two virtio-net NICs on one hub: " + nics);
        try (NetnsLab lab = new NetnsLab()) {
            String a = lab.host("a");
            String b = lab.host("b");
            Shell.run("ip link set " + nics.get(0) + " netns " + a + " && ip link set " + nics.get(1) + " netns " + b);
            NetnsLab.exec(a, "ip addr add 10.231.50.1/24 dev " + nics.get(0) + " && ip link set " + nics.get(0) + " up");
            NetnsLab.exec(b, "ip addr add 10.231.50.2/24 dev " + nics.get(1) + " && ip link set " + nics.get(1) + " up");
            TraceOutput out = traceWhile(() -> NetnsLab.tryExec(a, "for i in 1 2 3; do echo nic > /dev/udp/10.231.50.2/9982;"
                    + " sleep 0.2; done"), "udp and dst port 9982");
            String early = BACKEND.isKprobe() ? "napi_gro_receive" : "net:napi_gro_receive_entry";
            for (String point : List.of(early, BACKEND.deliverPoint())) {
                assertTrue(out.any(e -> e.func().equals(point) && nics.get(1).equals(e.iface())
                        && TraceOutput.to("10.231.50.2", 9982).test(e)), point + " on " + nics.get(1) + ":\n"
                        + out.describe());
            }
            assertFalse(out.any(e -> e.tuple() != null && e.tuple().dport() != 9982), out.describe());
        }
    }
}
