package io.skbtrail.agent.cli;

import io.skbtrail.agent.btf.DropReasons;
import io.skbtrail.agent.btf.KernelBtf;
import io.skbtrail.agent.event.EventDecoder;
import io.skbtrail.agent.event.HostFacts;
import io.skbtrail.agent.event.WallClock;
import io.skbtrail.agent.ksym.Kallsyms;
import io.skbtrail.agent.ksym.Symbol;
import io.skbtrail.agent.probe.ArmedProbes;
import io.skbtrail.agent.probe.BpfProgramTracer;
import io.skbtrail.agent.probe.ProbeOptions;
import io.skbtrail.agent.probe.kprobe.KprobeBackend;
import io.skbtrail.agent.probe.kprobe.TraceableFunctions;
import io.skbtrail.agent.probe.tracepoint.TracepointBackend;
import io.skbtrail.filter.CompiledFilter;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The steps from a parsed {@link TraceRequest} to running probes that {@code trace} and each session of
 * {@code connect} share, so both say and refuse the same things.
 */
final class TraceSetup {
    private TraceSetup() {}

    /**
     * What the backend gets, after the checks that depend on it.
     *
     * @param notes told about options this backend honours only in part (one line each)
     * @throws IllegalStateException when the request needs something the backend cannot do
     */
    static ProbeOptions probeOptions(TraceRequest request, CompiledFilter pcap, Backends.Choice backend,
            Consumer<String> notes) {
        if (request.output().caller() && backend.kind() == Backends.Kind.TRACEPOINT) {
            notes.accept("--output-caller needs a kprobe backend; with tracepoints, a free's"
                    + " location (the function that freed the skb) is in the location column");
        }
        boolean followClones = request.filter().trackSkb() && backend.trampolines().available();
        if (request.filter().trackSkb() && !followClones) {
            notes.accept("--filter-track-skb will not follow clones and copies of an skb: "
                    + backend.trampolines().reason());
        }
        if (request.bpfPrograms().any() && !backend.trampolines().available()) {
            throw new IllegalStateException("--filter-trace-tc/--filter-trace-xdp need BPF trampolines (fentry): "
                    + backend.trampolines().reason());
        }
        return new ProbeOptions(pcap, request.filter(), request.capture(), request.kernelBtf(),
                request.filterFunc(), followClones, request.bpfPrograms());
    }

    /** Loads and attaches the probes of this backend, idle until {@link ArmedProbes#enable()}. */
    static ArmedProbes arm(Backends.Kind kind, KernelBtf btf, Kallsyms kallsyms, ProbeOptions options,
            Consumer<String> progress, BooleanSupplier cancelled) throws IOException {
        if (kind == Backends.Kind.TRACEPOINT) {
            return TracepointBackend.arm(btf, options, progress, cancelled);
        }
        return KprobeBackend.arm(kind == Backends.Kind.KPROBE ? KprobeBackend.Kind.KPROBE : KprobeBackend.Kind.KPROBE_MULTI,
                btf, kallsyms, TraceableFunctions.load(), options, progress, cancelled);
    }

    /** Decodes the ring buffer records of these probes into contract v1 events. */
    static EventDecoder decoder(ArmedProbes probes, Kallsyms kallsyms, DropReasons dropReasons, WallClock clock,
            int packetBytes) {
        return new EventDecoder(BpfProgramTracer.naming(probes.probePoints(),
                        address -> kallsyms.exact(address).orElse(null)),
                // Bare names, module or not: the same function reads the same on every host, whether
                // its kernel built it in or as a module.
                address -> kallsyms.nearest(address).map(Symbol::name).orElse(null),
                dropReasons::name, clock, HostFacts.bootId(), packetBytes);
    }
}
