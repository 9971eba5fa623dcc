package io.skbtrail.agent.bench;

import io.skbtrail.agent.lab.AgentProcess;
import io.skbtrail.agent.lab.NetnsLab;
import io.skbtrail.agent.lab.Shell;
import io.skbtrail.protocol.EventJsonParser;
import io.skbtrail.protocol.SummaryRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The agent benchmark. At a fixed offered rate of UDP packets between two namespaces (A sends to a
 * closed port on B: each packet passes 7 skb tracepoints and is dropped on B):
 * <ol>
 *   <li>kernel time per probe hit and per packet (kernel.bpf_stats_enabled) for our probes idle, with a
 *       rejecting pcap filter and a matching one; the same for bpftrace on the same tracepoints with a
 *       predicate on the fixed field {@code skbaddr} (never true / always true with printf);</li>
 *   <li>agent CPU per delivered event and loss, at rising offered rates, to find the highest sustained
 *       event rate with less than 0.1 % loss.</li>
 * </ol>
 * Usage (root): {@code scripts/bench-agent [--seconds S] [--rate PPS] [--repeats N] [--rates a,b,c]}.
 */
public final class AgentBench {
    private static final String[] BPFTRACE_TRACEPOINTS = {"net:netif_receive_skb", "net:netif_rx",
        "net:napi_gro_receive_entry", "net:napi_gro_frags_entry", "net:netif_receive_skb_entry",
        "net:netif_receive_skb_list_entry", "net:netif_rx_entry", "net:net_dev_queue", "net:net_dev_start_xmit",
        "net:net_dev_xmit", "skb:kfree_skb", "skb:consume_skb", "skb:skb_copy_datagram_iovec",
        "tcp:tcp_retransmit_skb", "tcp:tcp_send_reset", "tcp:tcp_probe", "tcp:tcp_bad_csum",
        "qdisc:qdisc_enqueue", "qdisc:qdisc_dequeue"};
    private static final int PORT = 9999;

    private final double seconds;
    private final long rate;
    private final int repeats;
    private final long[] rates;
    private final String classpath = System.getProperty("java.class.path");
    private String sender;
    private NetnsLab.End target;

    private AgentBench(double seconds, long rate, int repeats, long[] rates) {
        this.seconds = seconds;
        this.rate = rate;
        this.repeats = repeats;
        this.rates = rates;
    }

    public static void main(String[] args) throws Exception {
        double seconds = 5;
        long rate = 5_000;
        int repeats = 3;
        long[] rates = {50_000, 100_000, 150_000, 200_000};
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--rate" -> rate = Long.parseLong(args[i + 1]);
                case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
                case "--rates" -> rates = java.util.Arrays.stream(args[i + 1].split(",")).mapToLong(Long::parseLong).toArray();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        new AgentBench(seconds, rate, repeats, rates).run();
    }

    private void run() throws Exception {
        String previousStats = Shell.run("sysctl -n kernel.bpf_stats_enabled").trim();
        Shell.run("sysctl -qw kernel.bpf_stats_enabled=1");
        try (NetnsLab lab = new NetnsLab()) {
            String a = lab.host("a");
            String b = lab.host("b");
            target = lab.link(a, b, 1)[1];
            sender = a;
            System.out.printf(Locale.ROOT, "# skbtrail agent bench: %s, %d cores, kernel %s%n", Shell.run("date -u +%FT%TZ").trim(),
                    Runtime.getRuntime().availableProcessors(), Shell.run("uname -r").trim());
            System.out.printf(Locale.ROOT, "# UDP A -> B:%d (closed port), %d packets/s offered for %.0f s, %d runs each%n%n",
                    PORT, rate, seconds, repeats);
            kernelCost();
            System.out.println();
            eventRate();
        } finally {
            Shell.run("sysctl -qw kernel.bpf_stats_enabled=" + previousStats);
        }
    }

    private record Cost(double nsPerHit, double nsPerPacket, double hitsPerPacket) {}

    private void kernelCost() throws Exception {
        System.out.println("## Kernel time per probe hit (sum of our programs' run_time_ns / run_cnt)");
        System.out.println("| probes | filter | ns per hit (median, min–max) | ns per packet (median) | hits per packet |");
        System.out.println("|---|---|---|---|---|");
        report("skbtrail, 21 tracepoints", "attached, tracing off (--idle)", () -> ours("--idle", ""));
        report("skbtrail, 21 tracepoints", "pcap `tcp and dst port 1` (rejects)", () -> ours("tcp and dst port 1"));
        report("skbtrail, 21 tracepoints", "pcap `udp and dst port " + PORT + "` (matches, emits)",
                () -> ours("udp and dst port " + PORT));
        report("bpftrace, 19 tracepoints", "none, empty action", () -> bpftrace("{ }"));
        report("bpftrace, 19 tracepoints", "`args->skbaddr == 1` (rejects)", () -> bpftrace("/args->skbaddr == 1/ { }"));
        report("bpftrace, 19 tracepoints", "`args->skbaddr != 1` (matches), printf",
                () -> bpftrace("/args->skbaddr != 1/ { printf(\"%p %d\\n\", args->skbaddr, cpu); }"));
    }

    private interface Measurement {
        Cost run() throws Exception;
    }

    private void report(String who, String filter, Measurement m) throws Exception {
        List<Cost> costs = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            costs.add(m.run());
        }
        double[] hit = costs.stream().mapToDouble(Cost::nsPerHit).sorted().toArray();
        double[] packet = costs.stream().mapToDouble(Cost::nsPerPacket).sorted().toArray();
        System.out.printf(Locale.ROOT, "| %s | %s | %.0f (%.0f–%.0f) | %.0f | %.1f |%n", who, filter,
                hit[hit.length / 2], hit[0], hit[hit.length - 1], packet[packet.length / 2],
                costs.get(0).hitsPerPacket());
    }

    private Cost ours(String... traceArgs) throws Exception {
        Set<Integer> before = ProgramStats.names().keySet();
        Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "skbtrail-bench");
        List<String> args = new ArrayList<>(List.of("--rate-limit", "0", "--output-file-max-backups", "1",
                "--ringbuf-size", "64"));
        args.addAll(List.of(traceArgs));
        try (AgentProcess agent = AgentProcess.trace(dir, args.toArray(String[]::new))) {
            Set<Integer> ours = new HashSet<>(ProgramStats.names().keySet());
            ours.removeAll(before);
            Map<Integer, long[]> start = ProgramStats.snapshot();
            long packets = send(rate);
            ProgramStats s = ProgramStats.delta(start, ProgramStats.snapshot(), ours::contains);
            agent.stop();
            return new Cost(s.nsPerRun(), (double) s.runTimeNs() / packets, (double) s.runCount() / packets);
        } finally {
            Shell.run("rm -rf " + dir);
        }
    }

    private Cost bpftrace(String action) throws Exception {
        Set<Integer> before = ProgramStats.names().keySet();
        String probes = String.join(",", java.util.Arrays.stream(BPFTRACE_TRACEPOINTS).map(t -> "tracepoint:" + t).toList());
        Process p = new ProcessBuilder("bpftrace", "-e", probes + " " + action)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Set<Integer> theirs = new HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (theirs.size() < BPFTRACE_TRACEPOINTS.length && System.nanoTime() < deadline) {
                Thread.sleep(100);
                theirs = new HashSet<>(ProgramStats.names().keySet());
                theirs.removeAll(before);
            }
            if (theirs.size() < BPFTRACE_TRACEPOINTS.length) {
                throw new IllegalStateException("bpftrace attached " + theirs.size() + " programs");
            }
            Thread.sleep(300);
            Set<Integer> ids = theirs;
            Map<Integer, long[]> start = ProgramStats.snapshot();
            long packets = send(rate);
            ProgramStats s = ProgramStats.delta(start, ProgramStats.snapshot(), ids::contains);
            return new Cost(s.nsPerRun(), (double) s.runTimeNs() / packets, (double) s.runCount() / packets);
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private long send(long packetsPerSecond) {
        String out = NetnsLab.exec(sender, "java -cp " + classpath + " " + UdpSender.class.getName() + " "
                + target.ipv4() + " " + PORT + " " + packetsPerSecond + " " + seconds);
        return Long.parseLong(out.trim().lines().reduce((x, y) -> y).orElseThrow());
    }

    private void eventRate() throws Exception {
        System.out.println("## Events delivered to the agent (matching filter, NDJSON to a file on tmpfs, rate cap off)");
        System.out.println("| offered packets/s | packets sent/s | events matched/s | delivered/s | lost | agent CPU per event |");
        System.out.println("|---|---|---|---|---|---|");
        for (long offered : rates) {
            Path dir = Files.createTempDirectory(Path.of("/dev/shm"), "skbtrail-bench");
            try (AgentProcess agent = AgentProcess.trace(dir, "--rate-limit", "0", "--output-file-max-backups", "1",
                    "--ringbuf-size", "64", "udp and dst port " + PORT)) {
                long cpuBefore = cpuNs(agent.pid());
                long packets = send(offered);
                Thread.sleep(500);
                long cpu = cpuNs(agent.pid()) - cpuBefore;
                agent.stop();
                SummaryRecord s = (SummaryRecord) EventJsonParser.parse(agent.lastLine());
                long lost = s.matched() - s.delivered();
                System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %d (%.3f %%) | %.2f µs |%n", offered,
                        packets / seconds, s.matched() / seconds, s.delivered() / seconds, lost,
                        s.matched() == 0 ? 0 : 100.0 * lost / s.matched(), s.delivered() == 0 ? 0 : cpu / 1000.0 / s.delivered());
            } finally {
                Shell.run("rm -rf " + dir);
            }
        }
    }

    /** User + system CPU time of a process, from /proc (clock ticks of 10 ms). */
    private static long cpuNs(long pid) throws IOException {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst("^.*\\) ", "").split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 10_000_000L;
    }
}
