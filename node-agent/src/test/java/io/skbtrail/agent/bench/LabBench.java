package io.skbtrail.agent.bench;

import io.skbtrail.agent.cli.Main;
import io.skbtrail.agent.cli.StopSignal;
import io.skbtrail.agent.lab.NetnsLab;
import io.skbtrail.agent.lab.Shell;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Attach and release figures for the kprobe backends with the full skb function set, inside a kernel
 * lab guest (emulated: every figure is 15–20× slower than on hardware), against bpftrace attaching
 * the same functions in the same guest. Usage: {@code LabBench kprobe[,kprobe-multi]}; run by
 * scripts/bench-lab.
 */
public final class LabBench {
    private static final int PORT = 9984;

    private LabBench() {}

    public static void main(String[] args) throws Exception {
        try (NetnsLab lab = new NetnsLab()) {
            String a = lab.host("a");
            String b = lab.host("b");
            NetnsLab.End target = lab.link(a, b, 30)[1];
            Process traffic = new ProcessBuilder("ip", "netns", "exec", a, "bash", "-c",
                    "while true; do echo x > /dev/udp/" + target.ipv4() + "/" + PORT + "; sleep 0.05; done")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                System.out.printf("## %s (%s), emulated (QEMU TCG)%n%n", Shell.run("uname -r").trim(),
                        System.getProperty("os.arch"));
                System.out.println("| tool | backend | functions | start → first event | Ctrl-C → tracing stopped"
                        + " | Ctrl-C → every probe released |");
                System.out.println("|---|---|---|---|---|---|");
                for (String backend : args[0].split(",")) {
                    if (!backend.equals("bpftrace")) {
                        skbtrail(backend);
                    }
                }
                bpftrace(functionList(null));
            } finally {
                traffic.destroyForcibly();
            }
        }
    }

    /** Runs the agent in this JVM with every skb function. */
    private static void skbtrail(String backend) throws Exception {
        Path dir = Files.createTempDirectory("lab-bench");
        Path out = dir.resolve("events.ndjson");
        StopSignal stop = new StopSignal();
        PrintStream err = new PrintStream(Files.newOutputStream(dir.resolve("stderr.txt")), true, StandardCharsets.UTF_8);
        long started = System.nanoTime();
        Thread agent = new Thread(() -> Main.trace(new String[] {"--backend", backend, "--output-json",
                "--output-file", out.toString(), "--debug", "udp and dst port " + PORT}, err, stop));
        agent.start();
        while (!(Files.exists(out) && Files.readString(out).contains("\"type\":\"event\""))) {
            if (!agent.isAlive()) {
                throw new IllegalStateException("agent stopped: " + Files.readString(dir.resolve("stderr.txt")));
            }
            Thread.sleep(20);
        }
        double firstEvent = (System.nanoTime() - started) / 1e9;
        long stopAt = System.nanoTime();
        stop.request();
        while (!Files.readString(out).contains("\"type\":\"summary\"")) {
            Thread.sleep(10);
        }
        double stopped = (System.nanoTime() - stopAt) / 1e9;
        agent.join();
        double released = (System.nanoTime() - stopAt) / 1e9;
        String log = Files.readString(dir.resolve("stderr.txt"));
        String count = log.lines().filter(l -> l.contains(" functions to probe (")).findFirst()
                .map(l -> l.replaceAll(".*: (\\d+) functions to probe \\((\\d+) take an skb.*", "$1 of $2"))
                .orElse("?");
        System.out.printf(Locale.ROOT, "| skbtrail | %s | %s | %.1f s | %.2f s | %.1f s |%n", backend, count,
                firstEvent, stopped, released);
    }

    /**
     * The agent's selection (BTF ∩ available_filter_functions) less what a kprobe refuses: bpftrace gives
     * up on its first refused probe, where the agent counts it and goes on. Refused: names several
     * symbols share (kprobes by name are ambiguous there) and the kprobe blacklist.
     */
    private static List<String> functionList(String ignored) throws Exception {
        io.skbtrail.agent.btf.KernelBtf btf = io.skbtrail.agent.btf.KernelBtf.load(Path.of("/sys/kernel/btf/vmlinux"));
        io.skbtrail.agent.probe.kprobe.TraceableFunctions traceable = io.skbtrail.agent.probe.kprobe.TraceableFunctions.load();
        io.skbtrail.agent.ksym.Kallsyms kallsyms = io.skbtrail.agent.ksym.Kallsyms.load();
        java.util.Set<String> blacklist = new java.util.HashSet<>();
        Path list = Path.of("/sys/kernel/debug/kprobes/blacklist");
        if (Files.isReadable(list)) {
            Files.readAllLines(list).forEach(l -> blacklist.add(l.substring(l.lastIndexOf('\t') + 1).trim()));
        }
        List<String> names = new ArrayList<>();
        btf.skbFunctions().stream()
                .filter(f -> f.module() == null && traceable.contains(f.name(), null))
                .filter(f -> kallsyms.addressesOf(f.name()).size() == 1 && !blacklist.contains(f.name()))
                .forEach(f -> names.add(f.name()));
        return names;
    }

    private static void bpftrace(List<String> functions) throws Exception {
        Path script = Files.createTempFile("lab-bench", ".bt");
        StringBuilder probes = new StringBuilder();
        for (String f : functions) {
            probes.append(probes.length() == 0 ? "" : ",\n").append("kprobe:").append(f);
        }
        Files.writeString(script, probes + "\n/arg0 == 1/ { printf(\"x\\n\"); }\n"
                + "tracepoint:skb:kfree_skb { printf(\"event\\n\"); }\n");
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder("bpftrace", script.toString()).redirectErrorStream(true);
        builder.environment().put("BPFTRACE_MAX_PROBES", "8192"); // its default refuses more than 512
        Process p = builder.start();
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        java.util.Deque<String> said = new java.util.ArrayDeque<>();
        while ((line = in.readLine()) != null && !line.equals("event")) {
            said.addLast(line); // "Attaching N probes...", or why it gave up
            if (said.size() > 5) {
                said.removeFirst();
            }
        }
        if (line == null) {
            System.out.printf("| bpftrace 0.17 | kprobe | %d | failed: %s | – | – |%n", functions.size(),
                    String.join(" ", said).replace('|', '/'));
            return;
        }
        double firstEvent = (System.nanoTime() - started) / 1e9;
        long stopAt = System.nanoTime();
        Shell.run("kill -INT " + p.pid());
        p.waitFor(600, TimeUnit.SECONDS);
        double released = (System.nanoTime() - stopAt) / 1e9;
        System.out.printf(Locale.ROOT, "| bpftrace 0.17 | kprobe (%s) | %d | %.1f s | – | %.1f s |%n",
                "one probe per function", functions.size(), firstEvent, released);
    }
}
