package io.skbtrail.agent.probe.kprobe;

import io.skbtrail.agent.btf.SkbFunction;
import io.skbtrail.agent.ksym.Kallsyms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which functions to probe, as pwru chooses them: every BTF function taking an skb among its first
 * five arguments, that ftrace can hook, whose whole name matches --filter-func, and that kallsyms can
 * place (kprobe.multi attaches by address; a static name may have several).
 */
public final class SkbFunctionSelection {

    /** A function to probe; {@code position} (1..5) picks the program that reads its skb. */
    public record Target(String name, String module, int position, long[] addresses) {
        public String displayName() {
            return module == null ? name : name + " [" + module + "]";
        }
    }

    /**
     * @param notTraceable functions BTF lists that ftrace cannot hook
     * @param notPlaced functions with no address in kallsyms
     */
    public record Selection(List<Target> targets, int candidates, int notTraceable, int notPlaced) {
        public Map<Integer, List<Target>> byPosition() {
            Map<Integer, List<Target>> map = new TreeMap<>();
            for (Target t : targets) {
                map.computeIfAbsent(t.position(), k -> new ArrayList<>()).add(t);
            }
            return map;
        }
    }

    private SkbFunctionSelection() {}

    public static Selection select(List<SkbFunction> candidates, TraceableFunctions traceable, Kallsyms kallsyms,
            Pattern filterFunc) {
        List<Target> targets = new ArrayList<>();
        int considered = 0;
        int notTraceable = 0;
        int notPlaced = 0;
        for (SkbFunction f : candidates) {
            if (filterFunc != null && !filterFunc.matcher(f.name()).matches()) {
                continue;
            }
            considered++;
            if (!traceable.contains(f.name(), f.module())) {
                notTraceable++;
                continue;
            }
            long[] addresses = kallsyms.addressesOf(f.name()).stream().mapToLong(Long::longValue).toArray();
            if (addresses.length == 0) {
                notPlaced++;
                continue;
            }
            targets.add(new Target(f.name(), f.module(), f.skbParamPosition(), addresses));
        }
        return new Selection(targets, considered, notTraceable, notPlaced);
    }
}
