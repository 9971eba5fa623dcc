package io.skbtrail.agent.cli;

import io.skbtrail.agent.btf.KernelBtf;
import io.skbtrail.agent.event.EventDecoder;
import io.skbtrail.agent.event.WallClock;
import io.skbtrail.agent.feature.HostFeatures;
import io.skbtrail.agent.ksym.Kallsyms;
import io.skbtrail.agent.link.SessionArmer;
import io.skbtrail.agent.link.SessionProbes;
import io.skbtrail.agent.link.SessionRefusedException;
import io.skbtrail.agent.output.JsonPrinter;
import io.skbtrail.agent.output.OutputSink;
import io.skbtrail.agent.probe.ArmedProbes;
import io.skbtrail.agent.probe.KernelCounters;
import io.skbtrail.agent.probe.ProbeOptions;
import io.skbtrail.agent.probe.tracepoint.TracepointBackend;
import io.skbtrail.filter.CompiledFilter;
import io.skbtrail.filter.FilterException;
import io.skbtrail.filter.PcapFilterCompiler;
import io.skbtrail.protocol.SummaryRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The sessions of {@code connect}, armed and traced by the same code as {@code trace}: the session's
 * flags go through the {@code trace} parser ({@link TraceRequest}), the filter through the same compiler,
 * the probes through {@link TraceSetup}, and events through {@link TraceLoop} and {@link JsonPrinter}
 * (contract v1 lines with loss records). Whatever {@code trace} would refuse, a session is refused with
 * the same message.
 */
public final class SessionTracing implements SessionArmer {
    /** One session arms at a time: libbpf's log and the kernel BTF are shared. */
    private static final Object ARMING = new Object();

    private final KernelBtf btf;
    private final Kallsyms kallsyms;
    private final Backends.Choice backend;
    private final PrintStream err;
    private final boolean debug;

    SessionTracing(KernelBtf btf, Kallsyms kallsyms, Backends.Choice backend, PrintStream err, boolean debug) {
        this.btf = btf;
        this.kallsyms = kallsyms;
        this.backend = backend;
        this.err = err;
        this.debug = debug;
    }

    /**
     * Sessions on this host's kernel with the backend {@code trace --backend} would choose (for tests).
     *
     * @param backend {@code auto}, {@code tracepoint}, {@code kprobe} or {@code kprobe-multi}
     */
    public static SessionTracing forThisHost(String backend, PrintStream err) throws IOException {
        Kallsyms kallsyms = Kallsyms.load();
        Backends.Choice choice = Backends.choose(backend,
                kallsyms.addressesOf("consume_skb").stream().findFirst().orElse(0L));
        return new SessionTracing(KernelBtf.load(HostFeatures.VMLINUX_BTF), kallsyms, choice, err, false);
    }

    /**
     * With the tracepoint backend, loads the probes once without attaching them (see
     * {@link TracepointBackend#warmUp}), so that the first session does not also pay for first use.
     *
     * @return null, or why the probes could not be loaded (sessions will be refused for the same reason)
     */
    public String warmUp() {
        if (backend.kind() != Backends.Kind.TRACEPOINT) {
            return null; // kprobe backends spend their time attaching, which a warm-up cannot save
        }
        try {
            TraceRequest request = TraceRequest.parse(Flags.parse(new String[] {"--", "udp and port 9"}, 0,
                    TraceRequest.FLAGS));
            CompiledFilter pcap = PcapFilterCompiler.compile(request.filter().pcap());
            ProbeOptions options = TraceSetup.probeOptions(request, pcap, backend, note -> { });
            synchronized (ARMING) {
                TracepointBackend.warmUp(btf, options);
            }
            return null;
        } catch (RuntimeException e) {
            return e.getMessage() != null ? e.getMessage() : e.toString();
        }
    }

    /** The backend's name as sessions report it. */
    public String backendName() {
        return switch (backend.kind()) {
            case TRACEPOINT -> "tracepoint";
            case KPROBE -> "kprobe";
            case KPROBE_MULTI -> "kprobe-multi";
        };
    }

    @Override
    public SessionProbes arm(long session, List<String> traceArgs, BooleanSupplier cancelled)
            throws SessionRefusedException {
        TraceRequest request;
        CompiledFilter pcap;
        try {
            request = TraceRequest.parse(Flags.parse(traceArgs.toArray(String[]::new), 0, TraceRequest.FLAGS));
            pcap = PcapFilterCompiler.compile(request.filter().pcap());
        } catch (UsageException | FilterException e) {
            throw new SessionRefusedException(e.getMessage());
        }
        ArmedProbes probes;
        synchronized (ARMING) {
            ProgressPrinter progress = new ProgressPrinter(err, debug);
            try {
                ProbeOptions options = TraceSetup.probeOptions(request, pcap, backend,
                        note -> err.println("skbtrail-agent: session " + session + ": " + note));
                probes = TraceSetup.arm(backend.kind(), btf, kallsyms, options, progress, cancelled);
            } catch (IOException e) {
                throw new SessionRefusedException(e.getMessage() != null ? e.getMessage() : e.toString());
            } catch (RuntimeException e) {
                // Filter too complex or refused by the verifier, no probe matching --filter-func, libbpf and
                // BTF failures, a cancelled attach: trace prints the message and exits, a session is refused.
                throw new SessionRefusedException(e.getMessage() != null ? e.getMessage() : e.toString());
            } finally {
                progress.done();
            }
        }
        WallClock clock = new WallClock();
        EventDecoder decoder = TraceSetup.decoder(probes, kallsyms, btf.dropReasons(), clock,
                request.capture().packetBytes());
        return new Armed(session, request, probes, decoder, clock);
    }

    /** One session's probes. */
    private final class Armed implements SessionProbes {
        private final long session;
        private final TraceRequest request;
        private final ArmedProbes probes;
        private final EventDecoder decoder;
        private final WallClock clock;
        private volatile TraceLoop loop;
        private volatile boolean stopRequested;

        Armed(long session, TraceRequest request, ArmedProbes probes, EventDecoder decoder, WallClock clock) {
            this.session = session;
            this.request = request;
            this.probes = probes;
            this.decoder = decoder;
            this.clock = clock;
        }

        @Override
        public String backend() {
            return probes.backend();
        }

        @Override
        public int probes() {
            return probes.attached().size();
        }

        @Override
        public List<String> notTraced() {
            return probes.disabled().stream().map(d -> d.probe() + ": " + d.reason()).toList();
        }

        @Override
        public void enable() {
            probes.enable();
        }

        @Override
        public void update(List<String> traceArgs) throws SessionRefusedException {
            TraceRequest changed;
            try {
                changed = TraceRequest.parse(Flags.parse(traceArgs.toArray(String[]::new), 0, TraceRequest.FLAGS));
            } catch (UsageException e) {
                throw new SessionRefusedException(e.getMessage());
            }
            if (!changed.filter().pcap().equals(request.filter().pcap())) {
                throw new SessionRefusedException("a new pcap expression needs a new session");
            }
            try {
                probes.update(changed.filter(), changed.capture());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new SessionRefusedException(e.getMessage());
            }
        }

        @Override
        public Outcome trace(OutputSink sink) throws IOException {
            TraceLoop l = new TraceLoop(probes, decoder, new JsonPrinter(request.output(), sink), clock);
            loop = l;
            if (stopRequested) {
                l.stop();
            }
            SummaryRecord summary = l.run();
            return new Outcome(summary, l.limitReached());
        }

        @Override
        public void stop() {
            stopRequested = true;
            TraceLoop l = loop;
            if (l != null) {
                l.stop();
            }
        }

        @Override
        public long matched() {
            return probes.counters()[KernelCounters.MATCHED];
        }

        @Override
        public Map<String, Long> lost() {
            return TraceLoop.lossTotals(probes, false);
        }

        @Override
        public SummaryRecord summaryAfterFailure() {
            TraceLoop l = loop;
            if (l == null) {
                return null;
            }
            try {
                probes.stopTracing();
            } catch (RuntimeException e) {
                // the summary below is the best left to give
            }
            return l.summary(TraceLoop.lossTotals(probes, false));
        }

        @Override
        public void close() {
            ProgressPrinter progress = new ProgressPrinter(err, debug);
            long releasing = System.nanoTime();
            try {
                probes.close(progress);
            } catch (UncheckedIOException e) {
                err.println("skbtrail-agent: session " + session + ": detaching: " + e.getMessage());
            } finally {
                progress.done();
            }
            if (probes.attached().size() > 100) {
                err.printf("skbtrail-agent: session %d: released %d probes in %.1f s%n", session,
                        probes.attached().size(), (System.nanoTime() - releasing) / 1e9);
            }
        }
    }
}
