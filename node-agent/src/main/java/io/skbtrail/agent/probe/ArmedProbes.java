package io.skbtrail.agent.probe;

import io.skbtrail.agent.event.EventDecoder;
import io.skbtrail.agent.libbpf.BpfLink;
import io.skbtrail.agent.libbpf.BpfMap;
import io.skbtrail.agent.libbpf.BpfObject;
import io.skbtrail.agent.libbpf.BpfProgram;
import io.skbtrail.agent.libbpf.ProgramBarrier;
import io.skbtrail.agent.libbpf.RingBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Probes that are loaded and attached, with the ring buffer they write to. Tracing starts with
 * {@link #enable}; {@link #close()} stops it at once (the config map's enabled flag), then detaches
 * every probe and unloads the object.
 *
 * <p>The config map writes ({@link #enable}, {@link #update}, {@link #stopTracing}, {@link #close}) may come
 * from different threads (a session of {@code connect} is updated by the server while its loop drains):
 * they are serialised, an update keeps tracing on or off as it was, and nothing is written once closed.
 */
public final class ArmedProbes implements AutoCloseable {
    /** A probe point that is not traced on this kernel, and why. */
    public record Disabled(String probe, String reason) {}

    private final String backend;
    private final BpfObject object;
    private final List<AutoCloseable> extras;
    private final List<BpfLink> links;
    private final List<BpfProgram> programs;
    private final List<String> attached;
    private final List<Disabled> disabled;
    private final RingBuffer ring;
    private final ProbeConfig config;
    private final KernelCounters counters;
    private final BpfMap skbState;
    private final EventDecoder.ProbePoints probePoints;
    private final int pcapFlags;
    private FilterSpec filter;
    private CaptureSpec capture;
    private boolean enabled;
    private boolean closed;

    ArmedProbes(String backend, BpfObject object, List<AutoCloseable> extras, List<BpfLink> links, List<BpfProgram> programs,
            List<String> attached, List<Disabled> disabled, RingBuffer ring, ProbeConfig config,
            KernelCounters counters, BpfMap skbState, EventDecoder.ProbePoints probePoints, int pcapFlags,
            FilterSpec filter, CaptureSpec capture) {
        this.backend = backend;
        this.object = object;
        this.extras = extras;
        this.links = new ArrayList<>(links);
        this.programs = programs;
        this.attached = attached;
        this.disabled = disabled;
        this.ring = ring;
        this.config = config;
        this.counters = counters;
        this.skbState = skbState;
        this.probePoints = probePoints;
        this.pcapFlags = pcapFlags;
        this.filter = filter;
        this.capture = capture;
    }

    /** Starts tracing (the probes are attached but idle until now). */
    public synchronized void enable() {
        requireOpen();
        enabled = true;
        config.write(filter, capture, pcapFlags, true);
    }

    /**
     * Changes the filters and outputs that live in the config map, without reloading; a new pcap
     * expression needs new programs. Tracing stays as it was: on after {@link #enable()}, off before it
     * and after {@link #stopTracing()}.
     */
    public synchronized void update(FilterSpec newFilter, CaptureSpec newCapture) {
        requireOpen();
        if (!newFilter.pcap().equals(filter.pcap())) {
            throw new IllegalArgumentException("a new pcap expression needs the probes to be armed again");
        }
        this.filter = newFilter;
        this.capture = newCapture;
        config.write(filter, capture, pcapFlags, enabled);
    }

    /** The filters in effect now. */
    public synchronized FilterSpec filter() {
        return filter;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the probes are detached");
        }
    }

    public String backend() {
        return backend;
    }

    public List<String> attached() {
        return attached;
    }

    public List<Disabled> disabled() {
        return disabled;
    }

    public RingBuffer ring() {
        return ring;
    }

    public EventDecoder.ProbePoints probePoints() {
        return probePoints;
    }

    /** Kernel counters (see {@link KernelCounters}), summed over CPUs. */
    public long[] counters() {
        return counters.read();
    }

    /** Runs the kernel skipped because one of our programs was already running on that CPU. */
    public long recursionMisses() {
        long total = 0;
        for (BpfProgram p : programs) {
            total += p.stats().recursionMisses();
        }
        return total;
    }

    /** Entries in the skb table now (for the eviction count). */
    public long trackedSkbs() {
        return skbState.countKeys(8);
    }

    /**
     * Stops tracing at once (the config map's enabled flag, which every probe checks first) and waits
     * for probes already running. When this returns the ring buffer holds everything the probes wrote,
     * though they stay attached until {@link #close()} (releasing a thousand kprobes takes a while).
     */
    public void stopTracing() {
        synchronized (this) {
            requireOpen();
            enabled = false;
            config.write(filter, capture, pcapFlags, false);
        }
        ProgramBarrier.awaitRunningPrograms();
    }

    /** Detaches every probe (in parallel, reporting progress) and unloads the programs. */
    public void close(java.util.function.Consumer<String> progress) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            enabled = false;
            try {
                config.write(filter, capture, pcapFlags, false);
            } catch (RuntimeException ignored) {
                // detaching stops the probes anyway
            }
        }
        Links.closeAll(links, progress);
        closeQuietly(extras);
        ring.close();
        object.close();
    }

    /** Closes the objects of traced tc/XDP programs (after their links). */
    static void closeQuietly(List<AutoCloseable> objects) {
        for (AutoCloseable o : objects) {
            try {
                o.close();
            } catch (Exception ignored) {
                // unloading cannot fail in a way we could act on
            }
        }
        objects.clear();
    }

    @Override
    public void close() {
        close(message -> { });
    }
}
