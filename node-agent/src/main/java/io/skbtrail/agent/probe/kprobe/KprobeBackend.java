package io.skbtrail.agent.probe.kprobe;

import io.skbtrail.agent.btf.KernelBtf;
import io.skbtrail.agent.event.EventDecoder;
import io.skbtrail.agent.ksym.Kallsyms;
import io.skbtrail.agent.libbpf.BpfLink;
import io.skbtrail.agent.libbpf.BpfObject;
import io.skbtrail.agent.probe.ArmedProbes;
import io.skbtrail.agent.probe.AttachCancelledException;
import io.skbtrail.agent.probe.BpfObjects;
import io.skbtrail.agent.probe.CloneFollowing;
import io.skbtrail.agent.probe.ProbeOptions;
import io.skbtrail.agent.probe.ProbeLoader;
import io.skbtrail.agent.probe.tracepoint.TracepointBackend;
import io.skbtrail.agent.probe.tracepoint.TracepointCatalog;
import io.skbtrail.protocol.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Arms the kprobe or kprobe.multi programs on every selected skb function, plus the free tracepoints
 * (they end an skb's life in the packet id table and name the free location).
 */
public final class KprobeBackend {
    static final String OBJECT = "kprobe.bpf.o";
    private static final Set<Integer> FREE_TRACEPOINTS = Set.of(10, 11, 12, 13);

    /** The two ways to attach. */
    public enum Kind {
        /** One kprobe per function, attached from several threads. */
        KPROBE("kprobe", "kprobe_skb_", Event.ProbeType.KPROBE),
        /** One kprobe.multi link per skb argument position, attached by address (5.18+). */
        KPROBE_MULTI("kprobe-multi", "kprobe_multi_skb_", Event.ProbeType.KPROBE_MULTI);

        private final String flag;
        private final String programPrefix;
        private final Event.ProbeType probeType;

        Kind(String flag, String programPrefix, Event.ProbeType probeType) {
            this.flag = flag;
            this.programPrefix = programPrefix;
            this.probeType = probeType;
        }

        public String flag() {
            return flag;
        }
    }

    private KprobeBackend() {}

    /** Names events: the probed function, or the tracepoint for the free tracepoints. */
    static EventDecoder.ProbePoints probePoints(Kind kind, Kallsyms kallsyms) {
        return new EventDecoder.ProbePoints() {
            @Override
            public String name(int probeId, long funcIp) {
                if (funcIp == 0) {
                    return TracepointCatalog.qualifiedName(probeId);
                }
                return kallsyms.exact(funcIp).orElseGet(() -> kallsyms.describe(funcIp));
            }

            @Override
            public Event.ProbeType type(int probeId, long funcIp) {
                return funcIp == 0 ? Event.ProbeType.TRACEPOINT : kind.probeType;
            }
        };
    }

    /**
     * Loads, attaches and returns the probes, idle until {@link ArmedProbes#enable()}.
     *
     * @throws NoFunctionException when --filter-func leaves no function to probe
     */
    public static ArmedProbes arm(Kind kind, KernelBtf btf, Kallsyms kallsyms, TraceableFunctions traceable,
            ProbeOptions options, Consumer<String> progress, BooleanSupplier cancelled) {
        Pattern filterFunc = options.filterFunc();
        boolean followClones = options.followClones();
        SkbFunctionSelection.Selection selection = SkbFunctionSelection.select(btf.skbFunctions(), traceable,
                kallsyms, filterFunc);
        if (selection.targets().isEmpty()) {
            throw new NoFunctionException(filterFunc == null
                    ? "no kernel function taking an skb can be probed (" + selection.candidates() + " in BTF, "
                            + selection.notTraceable() + " not in available_filter_functions)"
                    : "--filter-func " + filterFunc.pattern() + " matches no kernel function taking an skb"
                            + " (it must match the whole name, e.g. '.*kfree_skb.*')");
        }
        progress.accept(String.format("%d functions to probe (%d take an skb, %d not traceable, %d without address)",
                selection.targets().size(), selection.candidates(), selection.notTraceable(), selection.notPlaced()));
        Map<Integer, List<SkbFunctionSelection.Target>> byPosition = selection.byPosition();
        List<TracepointCatalog.Tracepoint> frees = TracepointBackend.select(btf).usable().stream()
                .filter(tp -> FREE_TRACEPOINTS.contains(tp.probeId())).toList();
        List<String> programs = new ArrayList<>();
        byPosition.keySet().forEach(position -> programs.add(kind.programPrefix + position));
        frees.forEach(tp -> programs.add(tp.program()));
        if (followClones) {
            programs.addAll(CloneFollowing.PROGRAMS);
        }
        ProbeLoader.Request request = new ProbeLoader.Request(kind.flag, BpfObjects.read(OBJECT), programs,
                (object, links, p, c) -> {
                    List<String> attached = new ArrayList<>(TracepointBackend.attach(object, frees, links));
                    if (followClones) {
                        attached.addAll(CloneFollowing.attach(object, links));
                    }
                    attached.addAll(kind == Kind.KPROBE_MULTI ? attachMulti(object, byPosition, links)
                            : KprobeAttacher.attach(object, kind.programPrefix, selection.targets(), links, p, c));
                    return attached;
                },
                List.of(), probePoints(kind, kallsyms), dropFunctions(kallsyms), options.bpfPrograms(),
                program -> false);
        return ProbeLoader.load(request, options, progress, cancelled);
    }

    private static List<String> attachMulti(BpfObject object, Map<Integer, List<SkbFunctionSelection.Target>> byPosition,
            List<BpfLink> links) {
        List<String> attached = new ArrayList<>();
        for (Map.Entry<Integer, List<SkbFunctionSelection.Target>> e : byPosition.entrySet()) {
            long[] addresses = e.getValue().stream().flatMapToLong(t -> java.util.Arrays.stream(t.addresses()))
                    .distinct().toArray();
            links.add(object.program(Kind.KPROBE_MULTI.programPrefix + e.getKey()).attachKprobeMulti(addresses));
            e.getValue().forEach(t -> attached.add(t.displayName()));
        }
        return Collections.unmodifiableList(attached);
    }

    /** The drop functions' addresses: their arguments carry the drop reason (bpf/probe/kprobe.bpf.c). */
    static ProbeLoader.DropFunctions dropFunctions(Kallsyms kallsyms) {
        return new ProbeLoader.DropFunctions(first(kallsyms, "kfree_skb_reason"), first(kallsyms, "sk_skb_reason_drop"));
    }

    private static long first(Kallsyms kallsyms, String name) {
        List<Long> addresses = kallsyms.addressesOf(name);
        return addresses.isEmpty() ? 0 : addresses.get(0);
    }

    /** No function to probe. */
    public static final class NoFunctionException extends RuntimeException {
        NoFunctionException(String message) {
            super(message);
        }
    }

    static void cancelledCheck(BooleanSupplier cancelled, int attached, int total) {
        if (cancelled.getAsBoolean()) {
            throw new AttachCancelledException(attached, total);
        }
    }
}
