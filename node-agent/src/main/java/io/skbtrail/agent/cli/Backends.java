package io.skbtrail.agent.cli;

import io.skbtrail.agent.feature.Check;
import io.skbtrail.agent.feature.HostFeatures;

/**
 * Which probe backend runs, and why. This agent version implements the tracepoint backend; kprobe
 * and kprobe.multi are reported as the kernel allows them.
 */
final class Backends {
    record Choice(String name, String explanation) {}

    private Backends() {}

    static Choice choose(String requested) {
        Check kprobes = HostFeatures.kprobes();
        switch (requested) {
            case "tracepoint":
                return new Choice("tracepoint", "backend tracepoint (as requested)");
            case "kprobe":
            case "kprobe-multi":
                if (!kprobes.available()) {
                    throw new UsageException("--backend " + requested + ": this kernel cannot: " + kprobes.reason()
                            + "; use --backend tracepoint");
                }
                throw new UsageException("--backend " + requested + ": not in this agent version yet;"
                        + " use --backend tracepoint");
            default:
                return new Choice("tracepoint", "backend tracepoint (auto: "
                        + (kprobes.available() ? "kprobe backends not in this agent version yet"
                                : "kprobe backends unavailable: " + kprobes.reason()) + ")");
        }
    }
}
