package io.skbtrail.agent.probe;

import io.skbtrail.agent.event.EventDecoder;
import io.skbtrail.agent.libbpf.BpfLink;
import io.skbtrail.agent.libbpf.BpfMap;
import io.skbtrail.agent.libbpf.BpfObject;
import io.skbtrail.agent.libbpf.BpfProgram;
import io.skbtrail.agent.libbpf.LibBpfException;
import io.skbtrail.agent.libbpf.RingBuffer;
import io.skbtrail.filter.CompiledFilter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What every backend does once it knows its programs: inject the filter, size the maps, load, write
 * the config, attach, and map the ring buffer. On any failure everything done so far is undone.
 */
public final class ProbeLoader {
    private ProbeLoader() {}

    /** What to load and how to attach it. */
    /**
     * @param optional programs that may be left out when the kernel refuses them (the backend still works)
     */
    public record Request(String backend, byte[] elf, List<String> programs, AttachPlan plan,
            List<ArmedProbes.Disabled> disabled, EventDecoder.ProbePoints probePoints, DropFunctions dropFunctions,
            BpfProgramTracer.Targets bpfPrograms, java.util.function.Predicate<String> optional) {

    }

    /**
     * Addresses of the functions whose arguments carry a drop reason (kprobe backends), 0 if absent.
     */
    public record DropFunctions(long kfreeSkbReason, long skSkbReasonDrop) {
        public static final DropFunctions NONE = new DropFunctions(0, 0);
    }

    /**
     * Loads {@code request.programs()} (the others are not loaded) and attaches them with the plan.
     */
    public static ArmedProbes load(Request request, ProbeOptions options, Consumer<String> progress,
            BooleanSupplier cancelled) {
        CompiledFilter pcap = options.pcap();
        FilterSpec filter = options.filter();
        CaptureSpec capture = options.capture();
        Path kernelBtf = options.kernelBtf();
        String backend = request.backend();
        List<String> programs = request.programs();
        ElfImage elf = new ElfImage(request.elf());
        int pcapFlags = FilterInjector.inject(elf, pcap);
        List<String> wantedPrograms = new ArrayList<>(programs);
        List<ArmedProbes.Disabled> disabled = new ArrayList<>(request.disabled());
        BpfObject object;
        List<BpfProgram> loaded = new ArrayList<>();
        // A program this kernel's verifier refuses is left out (and named), the others load: libbpf
        // loads an object all or nothing, so open it again without that program.
        while (true) {
            object = BpfObject.open(elf.bytes(), "skbtrail", kernelBtf);
            loaded.clear();
            for (BpfProgram program : object.programs()) {
                boolean wanted = wantedPrograms.contains(program.name());
                program.setAutoload(wanted);
                if (wanted) {
                    loaded.add(program);
                }
            }
            object.map("events").setMaxEntries(capture.ringBytes());
            object.map("skb_state").setMaxEntries(capture.trackedSkbs());
            progress.accept("loading " + loaded.size() + " programs");
            try {
                loadExplained(object, pcap);
                break;
            } catch (LibBpfException e) {
                object.close();
                String refused = refusedProgram(e.getMessage());
                if (refused == null || !wantedPrograms.remove(refused) || wantedPrograms.isEmpty()
                        || !request.optional().test(refused)) {
                    throw e;
                }
                disabled.add(new ArmedProbes.Disabled(refused, "refused by this kernel's verifier (--debug shows why)"));
                progress.accept("left out " + refused + ": refused by the verifier");
            }
        }
        List<BpfLink> links = new ArrayList<>();
        List<AutoCloseable> extras = new ArrayList<>();
        RingBuffer ring = null;
        try {
            int cpus = Cpus.possible();
            ProbeConfig config = new ProbeConfig(object.map("config"), cpus, request.dropFunctions());
            config.write(filter, capture, pcapFlags, false);
            List<String> attached = new ArrayList<>(request.plan().attach(object, links, progress, cancelled));
            if (request.bpfPrograms() != null && request.bpfPrograms().any()) {
                attached.addAll(BpfProgramTracer.attach(object, pcap, request.bpfPrograms(), links, extras, progress));
            }
            progress.accept("attached " + attached.size() + " probes");
            BpfMap events = object.map("events");
            ring = new RingBuffer(events, capture.ringBytes());
            return new ArmedProbes(backend, object, extras, links, loaded, attached, disabled, ring, config,
                    new KernelCounters(object.map("counters"), cpus), object.map("skb_state"),
                    request.probePoints(), pcapFlags, filter, capture);
        } catch (RuntimeException e) {
            Links.closeAll(links, progress);
            ArmedProbes.closeQuietly(extras);
            if (ring != null) {
                ring.close();
            }
            object.close();
            throw e;
        }
    }

    /** The program libbpf names in "prog 'NAME': failed to load", or null. */
    static String refusedProgram(String libbpfLog) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("prog '([A-Za-z0-9_]+)': failed to load")
                .matcher(libbpfLog);
        return m.find() ? m.group(1) : null;
    }

    /** A verifier rejection caused by the filter is reported as a filter problem, not a dump. */
    private static void loadExplained(BpfObject object, CompiledFilter pcap) {
        try {
            object.load();
        } catch (LibBpfException e) {
            if (!pcap.matchesAll() && filterRefused(e.getMessage())) {
                throw new FilterRejectedException(pcap.expression(), e);
            }
            throw e;
        }
    }

    /**
     * Whether the verifier refused the generated filter itself: it checks the global filter functions
     * on their own first ("Validating filter_pcap_l2() func#1..."), and a refusal there is not
     * followed by "is safe for any args".
     */
    static boolean filterRefused(String log) {
        int at = Math.max(log.lastIndexOf("Validating filter_pcap_l2"), log.lastIndexOf("Validating filter_pcap_l3"));
        return at >= 0 && !log.substring(at).contains("is safe for any args");
    }
}
