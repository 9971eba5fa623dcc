package io.skbtrail.agent.cli;

import io.skbtrail.agent.netns.Interfaces;
import io.skbtrail.agent.netns.NetnsRef;
import io.skbtrail.agent.output.OutputOptions;
import io.skbtrail.agent.probe.CaptureSpec;
import io.skbtrail.agent.probe.FilterSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code skbtrail-agent trace} flags, parsed and checked. */
record TraceRequest(
        FilterSpec filter,
        CaptureSpec capture,
        OutputOptions output,
        Path outputFile,
        long outputFileMaxBytes,
        int outputFileMaxBackups,
        Path readyFile,
        Path kernelBtf,
        String backend,
        Pattern filterFunc,
        boolean debug,
        boolean idle,
        List<Path> modules,
        io.skbtrail.agent.probe.BpfProgramTracer.Targets bpfPrograms) {

    /** Flag name → takes a value. */
    static final Map<String, Boolean> FLAGS = new LinkedHashMap<>();

    static {
        for (String f : new String[] {"filter-netns", "filter-mark", "filter-ifname", "filter-func",
                "filter-track-max-age", "output-file", "output-file-max-size", "output-file-max-backups",
                "output-limit-lines", "output-packet-bytes", "timestamp", "kernel-btf", "ready-file", "backend",
                "rate-limit", "ringbuf-size", "tracked-skbs", "kmods"}) {
            FLAGS.put(f, true);
        }
        for (String f : new String[] {"filter-track-skb", "output-meta", "output-tuple", "output-tcp-flags",
                "output-stack", "output-caller", "output-skb", "output-json", "debug", "idle", "all-kmods",
                "filter-trace-tc", "filter-trace-xdp", "help"}) {
            FLAGS.put(f, false);
        }
    }

    static TraceRequest parse(Flags f) {
        String pcap = String.join(" ", f.positional()).trim();
        NetnsRef netns = null;
        if (f.has("filter-netns")) {
            netns = checked(() -> NetnsRef.parse(f.string("filter-netns", "")));
        }
        long[] mark = parseMark(f.string("filter-mark", "0/0"));
        int ifindex = 0;
        if (f.has("filter-ifname")) {
            if (netns != null && netns.path() == null) {
                throw new UsageException("--filter-ifname needs --filter-netns as a path, not inode:N"
                        + " (interface names are looked up inside the netns)");
            }
            NetnsRef where = netns != null ? netns : NetnsRef.self();
            String name = f.string("filter-ifname", "");
            ifindex = checked(() -> Interfaces.ifindex(where, name));
            netns = where;
        }
        Duration maxAge = Duration.ofMillis(f.number("filter-track-max-age", 10_000, 1, 3_600_000));
        FilterSpec filter = new FilterSpec(pcap, netns == null ? 0 : netns.inode(), mark[0], mark[1], ifindex,
                f.bool("filter-track-skb", false), maxAge);

        int packetBytes = (int) f.number("output-packet-bytes", 0, 0, CaptureSpec.MAX_PACKET_BYTES);
        long ringMb = f.number("ringbuf-size", 16, 1, 1024);
        if (Long.bitCount(ringMb) != 1) {
            throw new UsageException("--ringbuf-size takes a power of two (MiB), not " + ringMb);
        }
        CaptureSpec capture = new CaptureSpec(f.bool("output-stack", false), f.bool("output-skb", false),
                packetBytes, f.number("rate-limit", 200_000, 0, 1_000_000_000L), (int) (ringMb << 20),
                (int) f.number("tracked-skbs", 65536, 1024, 16 << 20));

        OutputOptions output = new OutputOptions(f.bool("output-meta", true), f.bool("output-tuple", true),
                f.bool("output-tcp-flags", false), capture.stack(), f.bool("output-caller", false),
                capture.skbDump(), f.bool("output-json", false), timestamp(f.string("timestamp", "none")),
                f.number("output-limit-lines", 0, 0, Long.MAX_VALUE), packetBytes);

        Pattern func = null;
        if (f.has("filter-func")) {
            try {
                func = Pattern.compile(f.string("filter-func", ""));
            } catch (PatternSyntaxException e) {
                throw new UsageException("--filter-func: invalid regular expression: " + e.getDescription());
            }
        }
        String backend = f.string("backend", "auto");
        if (!backend.matches("auto|tracepoint|kprobe|kprobe-multi")) {
            throw new UsageException("--backend takes auto, kprobe-multi, kprobe or tracepoint, not \"" + backend + "\"");
        }
        return new TraceRequest(filter, capture, output,
                f.has("output-file") ? Path.of(f.string("output-file", "")) : null,
                f.number("output-file-max-size", 100, 1, 1 << 20) << 20,
                (int) f.number("output-file-max-backups", 0, 0, 100_000),
                f.has("ready-file") ? Path.of(f.string("ready-file", "")) : null,
                f.has("kernel-btf") ? Path.of(f.string("kernel-btf", "")) : null,
                backend, func, f.bool("debug", false), f.bool("idle", false), modules(f),
                new io.skbtrail.agent.probe.BpfProgramTracer.Targets(f.bool("filter-trace-tc", false),
                        f.bool("filter-trace-xdp", false)));
    }

    /** Module BTF for --kmods a,b or --all-kmods (every /sys/kernel/btf file but vmlinux). */
    private static List<Path> modules(Flags f) {
        Path dir = Path.of("/sys/kernel/btf");
        if (f.bool("all-kmods", false)) {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
                return files.filter(p -> !p.getFileName().toString().equals("vmlinux")).sorted().toList();
            } catch (java.io.IOException e) {
                throw new UsageException("--all-kmods: cannot list " + dir + ": " + e.getMessage());
            }
        }
        if (!f.has("kmods")) {
            return List.of();
        }
        List<Path> modules = new java.util.ArrayList<>();
        for (String name : f.string("kmods", "").split(",")) {
            Path p = dir.resolve(name.trim());
            if (name.isBlank() || !java.nio.file.Files.isReadable(p)) {
                throw new UsageException("--kmods: no BTF for module \"" + name.trim() + "\" in " + dir
                        + " (is it loaded? built with CONFIG_DEBUG_INFO_BTF_MODULES?)");
            }
            modules.add(p);
        }
        return modules;
    }

    /** pwru's {@code mark[/mask]}: decimal or 0x-hex; no mask means an exact match. */
    static long[] parseMark(String spec) {
        String[] parts = spec.split("/", -1);
        if (parts.length > 2 || parts[0].isEmpty()) {
            throw new UsageException("--filter-mark takes mark[/mask] (e.g. 0xa5 or 0x100/0xf00), not \"" + spec + "\"");
        }
        long mark = u32(parts[0], spec);
        long mask = parts.length == 2 ? u32(parts[1], spec) : 0xffffffffL;
        return new long[] {mark, mask};
    }

    private static long u32(String text, String spec) {
        try {
            long v = text.startsWith("0x") || text.startsWith("0X")
                    ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
            if (v < 0 || v > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException("--filter-mark: \"" + spec + "\" is not mark[/mask] with 32-bit numbers");
        }
    }

    private static OutputOptions.Timestamp timestamp(String value) {
        try {
            return OutputOptions.Timestamp.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--timestamp takes none, current, relative or absolute, not \"" + value + "\"");
        }
    }

    private static <T> T checked(java.util.function.Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
