package io.skbtrail.agent.feature;

import io.skbtrail.agent.libbpf.LibBpf;
import io.skbtrail.agent.libbpf.LibC;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checks that decide whether the agent can trace at all, and which backends the kernel offers. */
public final class HostFeatures {
    public static final Path VMLINUX_BTF = Path.of("/sys/kernel/btf/vmlinux");
    private static final Path KPROBE_PMU = Path.of("/sys/bus/event_source/devices/kprobe/type");
    private static final List<Path> TRACEFS = List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"));

    private HostFeatures() {}

    public static Check root() {
        return LibC.INSTANCE.geteuid() == 0 ? Check.ok("root")
                : Check.missing("root", "tracing needs root (CAP_BPF and CAP_PERFMON): run it with sudo");
    }

    public static Check btf(Path custom) {
        Path btf = custom != null ? custom : VMLINUX_BTF;
        if (Files.isReadable(btf)) {
            return Check.ok("btf");
        }
        return Check.missing("btf", custom != null ? "--kernel-btf " + custom + ": no such readable file"
                : "no kernel BTF at " + VMLINUX_BTF + " (kernel built without CONFIG_DEBUG_INFO_BTF):"
                        + " pass --kernel-btf FILE with this kernel's BTF (e.g. from BTFHub)");
    }

    /** libbpf 1.1+ (the API and the ring buffer behaviour the agent relies on). */
    public static Check libbpf() {
        try {
            LibBpf lib = LibBpf.get();
            int major = lib.libbpf_major_version();
            int minor = lib.libbpf_minor_version();
            if (major > 1 || (major == 1 && minor >= 1)) {
                return Check.ok("libbpf");
            }
            return Check.missing("libbpf", "libbpf " + major + "." + minor + " is too old: install libbpf 1.1 or newer");
        } catch (UnsatisfiedLinkError e) {
            return Check.missing("libbpf", e.getMessage().contains("libbpf_major_version")
                    ? "libbpf older than 0.7 is installed: install libbpf 1.1 or newer" : e.getMessage());
        }
    }

    public static String libbpfVersion() {
        try {
            return LibBpf.get().libbpf_version_string();
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** Where tracefs is mounted, if it is. */
    public static Optional<Path> tracefs() {
        return TRACEFS.stream().filter(p -> Files.isDirectory(p.resolve("events"))).findFirst();
    }

    /** Kernel support for kprobes (the kprobe PMU exists only with CONFIG_KPROBES). */
    public static Check kprobes() {
        return Files.exists(KPROBE_PMU) ? Check.ok("kprobe")
                : Check.missing("kprobe", "no kprobe PMU (" + KPROBE_PMU + "): kernel built without CONFIG_KPROBES");
    }

    /** Everything that must hold before {@code trace}: the first failure, if any. */
    public static Optional<Check> firstFailure(Path customBtf) {
        List<Check> checks = new ArrayList<>(List.of(libbpf(), root(), btf(customBtf)));
        return checks.stream().filter(c -> !c.available()).findFirst();
    }
}
