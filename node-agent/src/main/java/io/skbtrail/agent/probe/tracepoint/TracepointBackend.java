package io.skbtrail.agent.probe.tracepoint;

import io.skbtrail.agent.btf.KernelBtf;
import io.skbtrail.agent.btf.TracepointSignature;
import io.skbtrail.agent.event.EventDecoder;
import io.skbtrail.agent.libbpf.BpfLink;
import io.skbtrail.agent.libbpf.BpfObject;
import io.skbtrail.agent.probe.ArmedProbes;
import io.skbtrail.agent.probe.BpfObjects;
import io.skbtrail.agent.probe.CloneFollowing;
import io.skbtrail.agent.probe.ProbeOptions;
import io.skbtrail.agent.probe.ProbeLoader;
import io.skbtrail.protocol.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Arms the tracepoint programs: picks, from the running kernel's BTF, the programs whose tracepoint
 * exists with the arguments they read, disables the rest (each with its reason), loads and attaches.
 */
public final class TracepointBackend {
    public static final String NAME = "tracepoint";
    static final String OBJECT = "tracepoint.bpf.o";

    private TracepointBackend() {}

    /** Probe point names for events of this backend. */
    public static final EventDecoder.ProbePoints PROBE_POINTS = new EventDecoder.ProbePoints() {
        @Override
        public String name(int probeId, long funcIp) {
            return TracepointCatalog.qualifiedName(probeId);
        }

        @Override
        public Event.ProbeType type(int probeId, long funcIp) {
            return Event.ProbeType.TRACEPOINT;
        }
    };

    /** Selections made, by kernel BTF: the same for every session (~5 ms of BTF lookups each time otherwise). */
    private static final Map<KernelBtf, Selection> SELECTIONS = Collections.synchronizedMap(new WeakHashMap<>());

    /** Which tracepoint programs this kernel can run, and why the others cannot. */
    public static Selection select(KernelBtf btf) {
        return SELECTIONS.computeIfAbsent(btf, TracepointBackend::selectNow);
    }

    private static Selection selectNow(KernelBtf btf) {
        List<TracepointCatalog.Tracepoint> usable = new ArrayList<>();
        List<ArmedProbes.Disabled> disabled = new ArrayList<>();
        for (TracepointCatalog.Tracepoint tp : TracepointCatalog.ALL) {
            List<String> args = btf.tracepoint(tp.name())
                    .map(TracepointBackend::argTypes)
                    .orElse(null);
            Optional<String> why = tp.mismatch(args);
            if (why.isEmpty()) {
                usable.add(tp);
            } else if (!isVariantOfUsable(tp, args)) {
                disabled.add(new ArmedProbes.Disabled(tp.qualifiedName(), why.get()));
            }
        }
        return new Selection(usable, disabled);
    }

    /** The programs to load and the probe points left out. */
    public record Selection(List<TracepointCatalog.Tracepoint> usable, List<ArmedProbes.Disabled> disabled) {
        public Selection {
            usable = List.copyOf(usable);
            disabled = List.copyOf(disabled);
        }
    }

    /**
     * Loads, attaches and returns the probes, idle until {@link ArmedProbes#enable()}.
     *
     * @param progress told about each step, for the terminal
     */
    public static ArmedProbes arm(KernelBtf btf, ProbeOptions options, Consumer<String> progress,
            BooleanSupplier cancelled) {
        Pattern filterFunc = options.filterFunc();
        boolean followClones = options.followClones();
        Selection selection = select(btf);
        List<TracepointCatalog.Tracepoint> chosen = selection.usable().stream()
                .filter(tp -> filterFunc == null || filterFunc.matcher(tp.qualifiedName()).matches()
                        || filterFunc.matcher(tp.name()).matches())
                .toList();
        if (chosen.isEmpty()) {
            throw new NoMatchingProbeException(filterFunc == null
                    ? "no skb tracepoint of this kernel can be traced: " + selection.disabled()
                    : "--filter-func " + filterFunc.pattern() + " matches no tracepoint this kernel has (the"
                            + " tracepoint backend matches names like net:netif_receive_skb or kfree_skb)");
        }
        List<String> programs = new ArrayList<>(chosen.stream().map(TracepointCatalog.Tracepoint::program).toList());
        if (followClones) {
            programs.addAll(CloneFollowing.PROGRAMS);
        }
        ProbeLoader.Request request = new ProbeLoader.Request(NAME, BpfObjects.read(OBJECT), programs,
                (object, links, p, c) -> {
                    List<String> attached = new ArrayList<>(attach(object, chosen, links));
                    if (followClones) {
                        attached.addAll(CloneFollowing.attach(object, links));
                    }
                    return attached;
                }, selection.disabled(), PROBE_POINTS, ProbeLoader.DropFunctions.NONE, options.bpfPrograms(),
                program -> program.startsWith("tp_"));
        return ProbeLoader.load(request, options, progress, cancelled);
    }

    /**
     * Loads the programs as a session would, attaches none of them, and unloads them. An agent does this
     * once when it starts, so that its first session does not also pay for first use: class loading and
     * compilation in the JVM, libbpf's probing of the kernel's features.
     */
    public static void warmUp(KernelBtf btf, ProbeOptions options) {
        Selection selection = select(btf);
        List<String> programs = selection.usable().stream().map(TracepointCatalog.Tracepoint::program).toList();
        ProbeLoader.Request request = new ProbeLoader.Request(NAME, BpfObjects.read(OBJECT), programs,
                (object, links, p, c) -> List.of(), selection.disabled(), PROBE_POINTS, ProbeLoader.DropFunctions.NONE,
                null, program -> program.startsWith("tp_"));
        ProbeLoader.load(request, options, message -> { }, () -> false).close();
    }

    /** Attaches the programs of these tracepoints; returns their names. */
    public static List<String> attach(BpfObject object, List<TracepointCatalog.Tracepoint> tracepoints,
            List<BpfLink> links) {
        List<String> attached = new ArrayList<>();
        for (TracepointCatalog.Tracepoint tp : tracepoints) {
            if (!object.program(tp.program()).autoload()) {
                continue; // refused by the verifier, left out
            }
            links.add(object.program(tp.program()).attach());
            attached.add(tp.qualifiedName());
        }
        return attached;
    }

    /** --filter-func left nothing to trace. */
    public static final class NoMatchingProbeException extends RuntimeException {
        NoMatchingProbeException(String message) {
            super(message);
        }
    }

    private static List<String> argTypes(TracepointSignature signature) {
        return signature.params().stream().map(TracepointSignature.Param::type).toList();
    }

    /** kfree_skb has two programs for two signatures: only the one that does not fit is left out, silently. */
    private static boolean isVariantOfUsable(TracepointCatalog.Tracepoint tp, List<String> args) {
        if (args == null) {
            return false;
        }
        return TracepointCatalog.ALL.stream()
                .anyMatch(other -> other != tp && other.name().equals(tp.name()) && other.mismatch(args).isEmpty());
    }
}
