package io.skbtrail.agent.cli;

import io.skbtrail.agent.event.EventDecoder;
import io.skbtrail.agent.event.WallClock;
import io.skbtrail.agent.libbpf.RingBuffer;
import io.skbtrail.agent.output.EventPrinter;
import io.skbtrail.agent.probe.ArmedProbes;
import io.skbtrail.agent.probe.KernelCounters;
import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.SummaryRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads events from the ring buffer, prints them, and accounts for every event that did not arrive:
 * a loss record for each hop whose counter grew (once a second), and the summary at the end, where
 * {@code matched = delivered + kernel_ringbuf + rate_limit} holds exactly.
 */
final class TraceLoop {
    static final String HOP_RINGBUF = "kernel_ringbuf";
    static final String HOP_RATE_LIMIT = "rate_limit";
    static final String HOP_NESTED = "nested";
    static final String HOP_RECURSION = "recursion";
    static final String HOP_TRACK_EVICTED = "track_evicted";

    /** The kernel wakes us only when the ring fills up (see deliver() in bpf/include/handler.h). */
    private static final int WAIT_MS = 10;
    private static final long LOSS_REPORT_NS = 1_000_000_000L;
    private static final long CLOCK_RESAMPLE_NS = 10_000_000_000L;

    private final ArmedProbes probes;
    private final EventDecoder decoder;
    private final EventPrinter printer;
    private final WallClock clock;
    private final Map<String, Long> reported = new TreeMap<>();
    private volatile boolean stopRequested;
    private volatile boolean limitReached;
    private long delivered;
    private long started = System.nanoTime();

    TraceLoop(ArmedProbes probes, EventDecoder decoder, EventPrinter printer, WallClock clock) {
        this.probes = probes;
        this.decoder = decoder;
        this.printer = printer;
        this.clock = clock;
    }

    /** Asks the loop to stop (from a signal handler); it finishes within about 100 ms. */
    void stop() {
        stopRequested = true;
    }

    /** Whether the loop ended (or will end) because the printer's line limit was reached. */
    boolean limitReached() {
        return limitReached;
    }

    /** Runs until {@link #stop()} or the line limit, then detaches and returns the summary. */
    SummaryRecord run() throws IOException {
        started = System.nanoTime();
        long nextLossReport = started + LOSS_REPORT_NS;
        long nextResample = started + CLOCK_RESAMPLE_NS;
        RingBuffer ring = probes.ring();
        RingBuffer.RecordHandler handler = this::onRecord;
        try {
            while (!stopRequested && !limitReached) {
                if (ring.drain(handler) == 0) {
                    printer.flush();
                    ring.await(WAIT_MS);
                }
                long now = System.nanoTime();
                if (now >= nextLossReport) {
                    reportLoss(false);
                    nextLossReport = now + LOSS_REPORT_NS;
                }
                if (now >= nextResample) {
                    clock.resample();
                    nextResample = now + CLOCK_RESAMPLE_NS;
                }
            }
            // Stopping waits until no probe runs, so what they wrote is all in the ring now.
            probes.stopTracing();
            ring.drain(handler);
            Map<String, Long> lost = reportLoss(true);
            printer.flush();
            return summary(lost);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * The summary of what happened so far, with these loss totals: what {@link #run()} returns at the
     * end, and the best a caller can say after {@link #run()} failed (see {@link #lossTotals}).
     */
    SummaryRecord summary(Map<String, Long> lost) {
        long[] c = probes.counters();
        return new SummaryRecord(Instant.now(), probes.backend(), probes.attached().size(),
                c[KernelCounters.MATCHED], delivered, printer.printed(), lost, System.nanoTime() - started);
    }

    private void onRecord(java.nio.ByteBuffer data, int offset, int length) {
        delivered++;
        if (limitReached) {
            return;
        }
        Event event = decoder.decode(data, offset, length);
        try {
            if (!printer.print(event)) {
                limitReached = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loss per kernel hop since the probes were armed, read from the kernel's counters. {@code last} adds
     * {@value #HOP_TRACK_EVICTED}, which is only exact once tracing stopped (it walks the skb table).
     */
    static Map<String, Long> lossTotals(ArmedProbes probes, boolean last) {
        long[] c = probes.counters();
        Map<String, Long> totals = new TreeMap<>();
        totals.put(HOP_RINGBUF, c[KernelCounters.RINGBUF_FULL]);
        totals.put(HOP_RATE_LIMIT, c[KernelCounters.RATE_LIMITED]);
        totals.put(HOP_NESTED, c[KernelCounters.NESTED]);
        totals.put(HOP_RECURSION, probes.recursionMisses());
        if (last) {
            // Inserted, not deleted when freed, and not in the table any more: evicted while live.
            long evicted = c[KernelCounters.TRACK_INSERT] - c[KernelCounters.TRACK_DELETE] - probes.trackedSkbs();
            totals.put(HOP_TRACK_EVICTED, Math.max(0, evicted));
        }
        return totals;
    }

    /** Loss per hop since the start; prints a loss record for each hop that grew since the last report. */
    private Map<String, Long> reportLoss(boolean last) throws IOException {
        Map<String, Long> totals = lossTotals(probes, last);
        for (Map.Entry<String, Long> hop : totals.entrySet()) {
            long before = reported.getOrDefault(hop.getKey(), 0L);
            if (hop.getValue() > before) {
                printer.print(new LossRecord(Instant.now(), hop.getKey(), hop.getValue() - before, hop.getValue()));
                reported.put(hop.getKey(), hop.getValue());
            }
        }
        return totals;
    }
}
