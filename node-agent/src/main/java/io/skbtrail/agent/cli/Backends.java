package io.skbtrail.agent.cli;

import io.skbtrail.agent.feature.BackendProbe;
import io.skbtrail.agent.feature.Check;
import io.skbtrail.agent.probe.kprobe.TraceableFunctions;

/**
 * Which probe backend runs, and why: {@code auto} takes the best the kernel allows (kprobe.multi, then
 * kprobe, then tracepoints), learnt by attaching an empty program of each kind; an explicit choice the
 * kernel cannot do is refused with what is missing.
 */
final class Backends {
    enum Kind { TRACEPOINT, KPROBE, KPROBE_MULTI }

    /**
     * @param trampolines whether fentry/fexit work (clone following), with the reason if not
     */
    record Choice(Kind kind, String explanation, Check trampolines) {}

    private Backends() {}

    static Choice choose(String requested, long kprobeMultiTarget) {
        BackendProbe.Result kernel = BackendProbe.run(kprobeMultiTarget);
        Check fentry = kernel.fentry();
        if (requested.equals("tracepoint")) {
            return new Choice(Kind.TRACEPOINT, "backend tracepoint (as requested)", fentry);
        }
        Check tracefs = TraceableFunctions.location().isPresent() ? Check.ok("tracefs")
                : Check.missing("tracefs", "available_filter_functions is not readable: mount -t tracefs nodev"
                        + " /sys/kernel/tracing (in a container, mount the host's /sys/kernel/debug and /sys/kernel/tracing)");
        Check multi = kernel.kprobeMulti().available() ? tracefs : kernel.kprobeMulti();
        Check single = kernel.kprobe().available() ? tracefs : kernel.kprobe();
        switch (requested) {
            case "kprobe-multi":
                return require(Kind.KPROBE_MULTI, multi, fentry);
            case "kprobe":
                return require(Kind.KPROBE, single, fentry);
            default:
                if (multi.available()) {
                    return new Choice(Kind.KPROBE_MULTI, "backend kprobe-multi (auto: the best this kernel allows)",
                            fentry);
                }
                if (single.available()) {
                    return new Choice(Kind.KPROBE, "backend kprobe (auto: kprobe.multi unavailable: " + multi.reason()
                            + ")", fentry);
                }
                return new Choice(Kind.TRACEPOINT, "backend tracepoint (auto: kprobe backends unavailable: "
                        + single.reason() + ")", fentry);
        }
    }

    private static Choice require(Kind kind, Check check, Check fentry) {
        if (!check.available()) {
            throw new IllegalStateException("--backend " + (kind == Kind.KPROBE ? "kprobe" : "kprobe-multi")
                    + ": this kernel cannot: " + check.reason() + "; --backend tracepoint works everywhere");
        }
        return new Choice(kind, "backend " + (kind == Kind.KPROBE ? "kprobe" : "kprobe-multi") + " (as requested)",
                fentry);
    }
}
