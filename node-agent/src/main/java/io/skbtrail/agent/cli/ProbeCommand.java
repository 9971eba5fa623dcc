package io.skbtrail.agent.cli;

import io.skbtrail.agent.btf.KernelBtf;
import io.skbtrail.agent.event.HostFacts;
import io.skbtrail.agent.feature.BackendProbe;
import io.skbtrail.agent.feature.Check;
import io.skbtrail.agent.feature.HostFeatures;
import io.skbtrail.agent.ksym.Kallsyms;
import io.skbtrail.agent.probe.ArmedProbes;
import io.skbtrail.agent.probe.kprobe.TraceableFunctions;
import io.skbtrail.agent.probe.tracepoint.TracepointBackend;
import io.skbtrail.agent.probe.tracepoint.TracepointCatalog;
import io.skbtrail.protocol.JsonText;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code skbtrail-agent probe [--json]}: what this host's kernel supports. The server registers hosts
 * with the JSON form.
 */
final class ProbeCommand {
    private final PrintStream out;

    ProbeCommand(PrintStream out) {
        this.out = out;
    }

    int run(String[] args) throws IOException {
        Flags flags = Flags.parse(args, 1, Map.of("json", false, "kernel-btf", true, "help", false));
        if (flags.bool("help", false)) {
            out.print("Usage: skbtrail-agent probe [--json] [--kernel-btf FILE]\n");
            return Main.EXIT_OK;
        }
        Path customBtf = flags.has("kernel-btf") ? Path.of(flags.string("kernel-btf", "")) : null;
        Report report = report(customBtf);
        out.print(flags.bool("json", false) ? report.json() : report.text());
        return Main.EXIT_OK;
    }

    record Report(String kernel, String arch, String bootId, Check root, String libbpfVersion, Check libbpf,
            Check btf, String tracefs, Check filterFunctions, List<Check> backends, List<Check> tracepoints,
            List<String> dropReasons) {

        String json() {
            StringBuilder s = new StringBuilder("{");
            field(s, "kernel", kernel).append(',');
            field(s, "arch", arch).append(',');
            field(s, "boot_id", bootId).append(',');
            s.append("\"root\":").append(root.available()).append(',');
            field(s, "libbpf_version", libbpfVersion).append(',');
            check(s.append("\"libbpf\":"), libbpf).append(',');
            check(s.append("\"btf\":"), btf).append(',');
            field(s, "tracefs", tracefs).append(',');
            check(s.append("\"available_filter_functions\":"), filterFunctions).append(',');
            checks(s, "backends", backends).append(',');
            checks(s, "tracepoints", tracepoints).append(',');
            s.append("\"drop_reasons\":[");
            for (int i = 0; i < dropReasons.size(); i++) {
                s.append(i > 0 ? "," : "");
                JsonText.append(s, dropReasons.get(i));
            }
            return s.append("]}\n").toString();
        }

        String text() {
            StringBuilder s = new StringBuilder();
            s.append("kernel      ").append(kernel).append(' ').append(arch).append('\n');
            s.append("root        ").append(describe(root)).append('\n');
            s.append("libbpf      ").append(libbpfVersion).append(", ").append(describe(libbpf)).append('\n');
            s.append("kernel BTF  ").append(describe(btf)).append('\n');
            s.append("tracefs     ").append(tracefs == null ? "not mounted" : tracefs).append(", ")
                    .append(describe(filterFunctions).equals("yes") ? "functions listed" : describe(filterFunctions))
                    .append('\n');
            s.append("backends\n");
            backends.forEach(b -> s.append("  ").append(String.format("%-13s", b.name())).append(describe(b)).append('\n'));
            long usable = tracepoints.stream().filter(Check::available).count();
            s.append("tracepoints ").append(usable).append(" of ").append(tracepoints.size()).append(" usable\n");
            tracepoints.stream().filter(t -> !t.available())
                    .forEach(t -> s.append("  ").append(t.name()).append(": ").append(t.reason()).append('\n'));
            s.append("drop reasons ").append(dropReasons.isEmpty() ? "none (kernel older than 5.17)"
                    : dropReasons.size() + " named in this kernel's BTF").append('\n');
            return s.toString();
        }

        private static String describe(Check c) {
            return c.available() ? "yes" : "no: " + c.reason();
        }

        private static StringBuilder field(StringBuilder s, String name, String value) {
            s.append('"').append(name).append("\":");
            if (value == null) {
                return s.append("null");
            }
            JsonText.append(s, value);
            return s;
        }

        private static StringBuilder check(StringBuilder s, Check c) {
            s.append('{');
            field(s, "name", c.name()).append(",\"available\":").append(c.available()).append(',');
            return field(s, "reason", c.reason()).append('}');
        }

        private static StringBuilder checks(StringBuilder s, String name, List<Check> list) {
            s.append('"').append(name).append("\":[");
            for (int i = 0; i < list.size(); i++) {
                check(s.append(i > 0 ? "," : ""), list.get(i));
            }
            return s.append(']');
        }
    }

    static Report report(Path customBtf) throws IOException {
        Check btf = HostFeatures.btf(customBtf);
        List<Check> tracepoints = new ArrayList<>();
        List<String> dropReasons = List.of();
        if (btf.available()) {
            KernelBtf kernelBtf = KernelBtf.load(customBtf != null ? customBtf : HostFeatures.VMLINUX_BTF);
            TracepointBackend.Selection selection = TracepointBackend.select(kernelBtf);
            selection.usable().forEach(tp -> tracepoints.add(Check.ok(tp.qualifiedName())));
            for (ArmedProbes.Disabled d : selection.disabled()) {
                tracepoints.add(Check.missing(d.probe(), d.reason()));
            }
            dropReasons = kernelBtf.dropReasons().all().values().stream().toList();
        } else {
            TracepointCatalog.ALL.forEach(tp -> tracepoints.add(Check.missing(tp.qualifiedName(), "no kernel BTF")));
        }
        List<Check> backends = List.of(Check.missing("tracepoint", btf.reason()));
        if (btf.available() && HostFeatures.root().available()) {
            long consumeSkb = Kallsyms.load().addressesOf("consume_skb").stream().findFirst().orElse(0L);
            backends = BackendProbe.run(consumeSkb).all();
        } else if (btf.available()) {
            backends = List.of(Check.missing("kprobe_multi", "probing needs root"), Check.missing("kprobe",
                    "probing needs root"), Check.missing("fentry", "probing needs root"), Check.ok("tracepoint"));
        }
        Check tracefs = TraceableFunctions.location().isPresent() ? Check.ok("available_filter_functions")
                : Check.missing("available_filter_functions", "not readable: kprobe backends need tracefs");
        return new Report(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(),
                System.getProperty("os.arch"), HostFacts.bootId(), HostFeatures.root(), HostFeatures.libbpfVersion(),
                HostFeatures.libbpf(), btf, HostFeatures.tracefs().map(Path::toString).orElse(null), tracefs,
                backends, tracepoints, dropReasons);
    }
}
