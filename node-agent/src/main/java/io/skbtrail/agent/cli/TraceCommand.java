package io.skbtrail.agent.cli;

import io.skbtrail.agent.btf.DropReasons;
import io.skbtrail.agent.btf.KernelBtf;
import io.skbtrail.agent.event.EventDecoder;
import io.skbtrail.agent.event.WallClock;
import io.skbtrail.agent.feature.Check;
import io.skbtrail.agent.feature.HostFeatures;
import io.skbtrail.agent.ksym.Kallsyms;
import io.skbtrail.agent.libbpf.LibBpfLog;
import io.skbtrail.agent.output.EventPrinter;
import io.skbtrail.agent.output.OutputSink;
import io.skbtrail.agent.output.RotatingFileSink;
import io.skbtrail.agent.output.StreamSink;
import io.skbtrail.agent.output.Summaries;
import io.skbtrail.agent.probe.ArmedProbes;
import io.skbtrail.agent.probe.AttachCancelledException;
import io.skbtrail.agent.probe.ProbeOptions;
import io.skbtrail.agent.probe.kprobe.KprobeBackend;
import io.skbtrail.agent.probe.tracepoint.TracepointBackend;
import io.skbtrail.filter.CompiledFilter;
import io.skbtrail.filter.FilterException;
import io.skbtrail.filter.PcapFilterCompiler;
import io.skbtrail.protocol.SummaryRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code skbtrail-agent trace [pcap-filter] [flags]}: pwru-style tracing on this host. */
final class TraceCommand {
    private final PrintStream err;
    private final java.util.function.Supplier<StopSignal> stopSignal;

    /**
     * @param stopSignal made when tracing is about to start: the process's SIGINT/SIGTERM handler, or a
     *     signal a caller running the agent in its own JVM triggers itself
     */
    TraceCommand(PrintStream err, java.util.function.Supplier<StopSignal> stopSignal) {
        this.err = err;
        this.stopSignal = stopSignal;
    }

    int run(String[] args) throws IOException {
        Flags flags = Flags.parse(args, 1, TraceRequest.FLAGS);
        if (flags.bool("help", false)) {
            System.out.print(Usage.TRACE);
            return Main.EXIT_OK;
        }
        TraceRequest request = TraceRequest.parse(flags);
        LibBpfLog.setDebug(request.debug());
        CompiledFilter pcap = compile(request.filter().pcap());
        Optional<Check> failure = HostFeatures.firstFailure(request.kernelBtf());
        if (failure.isPresent()) {
            err.println("skbtrail-agent: " + failure.get().reason());
            return Main.EXIT_FAILURE;
        }
        StopSignal stop = stopSignal.get();
        ProgressPrinter progress = new ProgressPrinter(err, request.debug());
        Path vmlinux = request.kernelBtf() != null ? request.kernelBtf() : HostFeatures.VMLINUX_BTF;
        KernelBtf btf = request.modules().isEmpty() ? KernelBtf.load(vmlinux)
                : KernelBtf.loadWithModules(vmlinux, request.modules());
        Kallsyms kallsyms = Kallsyms.load();
        Backends.Choice backend = Backends.choose(request.backend(),
                kallsyms.addressesOf("consume_skb").stream().findFirst().orElse(0L));
        err.println("skbtrail-agent: " + backend.explanation());
        ProbeOptions options = TraceSetup.probeOptions(request, pcap, backend,
                note -> err.println("skbtrail-agent: " + note));
        ArmedProbes probes;
        try {
            probes = TraceSetup.arm(backend.kind(), btf, kallsyms, options, progress, stop::requested);
        } catch (FilterException | TracepointBackend.NoMatchingProbeException | KprobeBackend.NoFunctionException e) {
            progress.done();
            err.println("skbtrail-agent: " + e.getMessage());
            return Main.EXIT_USAGE;
        } catch (AttachCancelledException e) {
            progress.done();
            err.println("skbtrail-agent: " + e.getMessage());
            return Main.EXIT_OK;
        }
        progress.done();
        try {
            for (ArmedProbes.Disabled d : probes.disabled()) {
                err.println("skbtrail-agent: not traced: " + d.probe() + ": " + d.reason());
            }
            trace(request, probes, kallsyms, btf.dropReasons(), pcap, stop);
        } finally {
            long releasing = System.nanoTime();
            probes.close(progress);
            progress.done();
            if (probes.attached().size() > 100) {
                err.printf("skbtrail-agent: released %d probes in %.1f s%n", probes.attached().size(),
                        (System.nanoTime() - releasing) / 1e9);
            }
        }
        return Main.EXIT_OK;
    }

    /** Traces until stopped or the line limit, then prints the summary; the caller detaches. */
    private void trace(TraceRequest request, ArmedProbes probes, Kallsyms kallsyms, DropReasons dropReasons,
            CompiledFilter pcap, StopSignal stop) throws IOException {
        WallClock clock = new WallClock();
        EventDecoder decoder = TraceSetup.decoder(probes, kallsyms, dropReasons, clock,
                request.capture().packetBytes());
        try (EventPrinter printer = EventPrinter.create(request.output(), sink(request))) {
            TraceLoop loop = new TraceLoop(probes, decoder, printer, clock);
            stop.onStop(loop::stop);
            if (!request.idle()) {
                probes.enable();
            }
            err.println("skbtrail-agent: tracing " + probes.attached().size() + " probe points"
                    + (pcap.matchesAll() ? "" : " for \"" + pcap.expression() + "\"")
                    + "; PROCESS at receive and free hooks is whichever task the softirq interrupted."
                    + " Ctrl-C to stop.");
            if (request.readyFile() != null) {
                Files.writeString(request.readyFile(), "ready\n");
            }
            SummaryRecord summary = loop.run();
            printer.print(summary);
            printer.flush();
            if (request.outputFile() != null || request.output().json()) {
                err.println("skbtrail-agent: " + Summaries.oneLine(summary));
            }
        }
    }

    private static CompiledFilter compile(String expression) {
        try {
            return PcapFilterCompiler.compile(expression);
        } catch (FilterException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static OutputSink sink(TraceRequest request) throws IOException {
        if (request.outputFile() == null) {
            return StreamSink.stdout();
        }
        return new RotatingFileSink(request.outputFile(), request.outputFileMaxBytes(), request.outputFileMaxBackups());
    }
}
