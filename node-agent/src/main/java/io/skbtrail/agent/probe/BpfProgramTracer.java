package io.skbtrail.agent.probe;

import io.skbtrail.agent.event.EventDecoder;
import io.skbtrail.agent.libbpf.BpfLink;
import io.skbtrail.agent.libbpf.BpfObject;
import io.skbtrail.agent.libbpf.BpfProgram;
import io.skbtrail.agent.libbpf.LibBpfException;
import io.skbtrail.agent.libbpf.LoadedProgram;
import io.skbtrail.filter.CompiledFilter;
import io.skbtrail.protocol.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * --filter-trace-tc and --filter-trace-xdp: an fentry program on every tc (sched_cls) and XDP program
 * loaded on this host when tracing starts (bpf/probe/bpfprog.bpf.c), each in its own BPF object that
 * shares the main object's maps. Programs without BTF cannot be traced and are named; programs loaded
 * later are not traced. Needs BPF trampolines.
 */
public final class BpfProgramTracer {
    static final String OBJECT = "bpfprog.bpf.o";
    static final int PROBE_TC = 100;
    static final int PROBE_XDP = 101;
    private static final List<String> SHARED_MAPS = List.of("events", "config", "counters", "scratch", "skb_state",
            "packet_ids", "rate_state");

    /** Which kinds of programs to trace. */
    public record Targets(boolean tc, boolean xdp) {
        public boolean any() {
            return tc || xdp;
        }
    }

    private BpfProgramTracer() {}

    static List<String> attach(BpfObject main, CompiledFilter pcap, Targets targets, List<BpfLink> links,
            List<AutoCloseable> objects, Consumer<String> progress) {
        ElfImage elf = new ElfImage(BpfObjects.read(OBJECT));
        FilterInjector.inject(elf, pcap);
        byte[] bytes = elf.bytes();
        List<String> attached = new ArrayList<>();
        int[] types = targets.tc() && targets.xdp() ? new int[] {LoadedProgram.TYPE_SCHED_CLS, LoadedProgram.TYPE_XDP}
                : targets.tc() ? new int[] {LoadedProgram.TYPE_SCHED_CLS} : new int[] {LoadedProgram.TYPE_XDP};
        for (LoadedProgram target : LoadedProgram.list(types)) {
            try (target) {
                boolean tc = target.type() == LoadedProgram.TYPE_SCHED_CLS;
                String kind = tc ? "tc" : "xdp";
                if (!target.hasBtf()) {
                    progress.accept("not traced: " + kind + " program " + target.name() + " (id " + target.id()
                            + ") has no BTF");
                    continue;
                }
                String function = entryFunction(target);
                BpfObject object = BpfObject.open(bytes, "skbtrail-" + kind, null);
                objects.add(object);
                String program = tc ? "fentry_tc" : "fentry_xdp";
                for (BpfProgram p : object.programs()) {
                    p.setAutoload(p.name().equals(program));
                }
                object.program(program).setAttachTarget(target, function);
                for (String map : SHARED_MAPS) {
                    object.map(map).reuse(main.map(map));
                }
                try {
                    object.load();
                    links.add(object.program(program).attach());
                    attached.add(kind + ":" + function);
                } catch (LibBpfException e) {
                    progress.accept("not traced: " + kind + " program " + function + " (id " + target.id() + "): "
                            + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
        progress.accept("tracing " + attached.size() + " tc/XDP programs");
        return attached;
    }

    /** The program's entry function, from its kallsyms name {@code bpf_prog_<tag>_<function>}. */
    private static String entryFunction(LoadedProgram target) {
        String prefix = "bpf_prog_" + target.tag() + "_";
        try (var lines = Files.lines(Path.of("/proc/kallsyms"))) {
            return lines.map(l -> l.split("\\s+"))
                    .filter(f -> f.length >= 3 && f[2].startsWith(prefix))
                    .map(f -> f[2].substring(prefix.length()))
                    .findFirst().orElse(target.name());
        } catch (IOException e) {
            return target.name();
        }
    }

    /** Names tc and XDP events ({@code tc:my_prog}); the rest as {@code base} does. */
    public static EventDecoder.ProbePoints naming(EventDecoder.ProbePoints base, LongFunction<String> symbolAt) {
        return new EventDecoder.ProbePoints() {
            @Override
            public String name(int probeId, long funcIp) {
                if (probeId != PROBE_TC && probeId != PROBE_XDP) {
                    return base.name(probeId, funcIp);
                }
                String symbol = symbolAt.apply(funcIp);
                String function = symbol == null ? "0x" + Long.toHexString(funcIp)
                        : symbol.replaceFirst("^bpf_prog_[0-9a-f]{16}_", "").replaceFirst(" \\[bpf\\]$", "");
                return (probeId == PROBE_TC ? "tc:" : "xdp:") + function;
            }

            @Override
            public Event.ProbeType type(int probeId, long funcIp) {
                return probeId == PROBE_TC || probeId == PROBE_XDP ? Event.ProbeType.FENTRY
                        : base.type(probeId, funcIp);
            }
        };
    }
}
