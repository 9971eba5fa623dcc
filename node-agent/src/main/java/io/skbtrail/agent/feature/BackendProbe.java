package io.skbtrail.agent.feature;

import io.skbtrail.agent.libbpf.BpfObject;
import io.skbtrail.agent.libbpf.BpfProgram;
import io.skbtrail.agent.libbpf.Errno;
import io.skbtrail.agent.libbpf.LibBpfException;
import io.skbtrail.agent.probe.BpfObjects;
import java.util.List;
import java.util.function.Consumer;

/**
 * Learns which probe backends this kernel allows by loading and attaching an empty program of each
 * type (bpf/probe/feature.bpf.c) on {@code consume_skb}, and turns a refusal into the reason a user
 * can act on. Takes a few hundred milliseconds; needs root.
 */
public final class BackendProbe {
    private static final String OBJECT = "feature.bpf.o";
    private static final String TARGET = "consume_skb";

    /** What the kernel said for each backend. */
    public record Result(Check kprobeMulti, Check kprobe, Check fentry, Check tracepoint) {
        public List<Check> all() {
            return List.of(kprobeMulti, kprobe, fentry, tracepoint);
        }
    }

    /** What the kernel allows does not change while it runs: probed once per JVM. */
    private static volatile Result cached;

    private BackendProbe() {}

    /**
     * @param kprobeMultiTarget address of {@link #TARGET} (kallsyms), 0 if unknown
     */
    public static Result run(long kprobeMultiTarget) {
        Result result = cached;
        if (result == null) {
            result = probe(kprobeMultiTarget);
            cached = result;
        }
        return result;
    }

    private static Result probe(long kprobeMultiTarget) {
        Check kprobes = HostFeatures.kprobes();
        Check kprobe = kprobes.available() ? attempt("kprobe", "probe_kprobe", p -> p.attachKprobe(TARGET).close())
                : Check.missing("kprobe", kprobes.reason());
        Check multi;
        if (!kprobes.available()) {
            multi = Check.missing("kprobe_multi", kprobes.reason());
        } else if (kprobeMultiTarget == 0) {
            multi = Check.missing("kprobe_multi", "cannot find " + TARGET + " in /proc/kallsyms (kptr_restrict?)");
        } else {
            multi = attempt("kprobe_multi", "probe_kprobe_multi",
                    p -> p.attachKprobeMulti(new long[] {kprobeMultiTarget}).close());
        }
        Check fentry = attempt("fentry", "probe_fentry", p -> p.attach().close());
        Check tracepoint = attempt("tracepoint", "probe_tp_btf", p -> p.attach().close());
        return new Result(multi, kprobe, fentry, tracepoint);
    }

    private static Check attempt(String backend, String program, Consumer<BpfProgram> attach) {
        try (BpfObject object = BpfObject.open(BpfObjects.read(OBJECT), "skbtrail-probe", null)) {
            for (BpfProgram p : object.programs()) {
                p.setAutoload(p.name().equals(program));
            }
            object.load();
            attach.accept(object.program(program));
            return Check.ok(backend);
        } catch (LibBpfException e) {
            return Check.missing(backend, reason(backend, e));
        }
    }

    /** The refusal in terms of what the kernel lacks. */
    static String reason(String backend, LibBpfException e) {
        int errno = e.errno();
        String said = e.getMessage().lines().findFirst().orElse("");
        return switch (backend) {
            case "kprobe_multi" -> errno == Errno.EOPNOTSUPP || errno == Errno.ENOTSUPP
                    ? "kernel built without CONFIG_FPROBE (kprobe.multi needs Linux 5.18+ with FPROBE): " + said
                    : errno == Errno.EINVAL ? "kprobe.multi not in this kernel (needs Linux 5.18+): " + said : said;
            case "kprobe" -> errno == Errno.ENOENT
                    ? "no kprobe support (CONFIG_KPROBES, CONFIG_KPROBE_EVENTS): " + said : said;
            case "fentry" -> errno == Errno.EPERM || errno == Errno.ENOTSUPP || errno == Errno.EOPNOTSUPP
                    ? "BPF trampolines (fentry/fexit) refused by this kernel: " + said : said;
            default -> said;
        };
    }
}
