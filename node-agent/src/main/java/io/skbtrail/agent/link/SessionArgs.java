package io.skbtrail.agent.link;

import io.skbtrail.agent.netns.NetnsRef;
import io.skbtrail.protocol.SessionOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * A session's filter and options as the {@code trace} flags they stand for, so that the {@code trace}
 * parser checks them and a session is refused with the same words the CLI would use. Only the options of
 * {@link SessionOptions#ALLOWED} are taken; the agent adds its own flags and the session's limits.
 */
public final class SessionArgs {
    static final String NETNS = "filter-netns";
    static final String IFNAME = "filter-ifname";

    /** Real netns inodes (stat of the nsfs file). */
    static final ToLongFunction<String> NSFS_INODES = spec -> NetnsRef.parse(spec).inode();

    private SessionArgs() {}

    /**
     * @param filter pcap expression, empty for every packet
     * @param options option name (a {@code trace} flag without {@code --}) to value
     * @param maxEvents the session ends after this many events (0: no limit)
     * @param agentScope the agent's {@code --filter-netns/--filter-ifname}, combined with the session's
     * @param agentArgs flags the agent operator set for every session (e.g. {@code --kernel-btf=FILE})
     * @return the flags for {@code trace}: every value as {@code --name=value} (a value cannot pass for a
     *     flag), then {@code --} and the expression
     */
    public static List<String> of(String filter, Map<String, String> options, long maxEvents, FilterScope agentScope,
            List<String> agentArgs, ToLongFunction<String> inodeOf) throws SessionRefusedException {
        List<String> args = new ArrayList<>(agentArgs);
        for (Map.Entry<String, String> option : new TreeMap<>(options).entrySet()) {
            String problem = SessionOptions.problem(option.getKey(), option.getValue());
            if (problem != null) {
                throw new SessionRefusedException(problem);
            }
            if (!option.getKey().equals(NETNS) && !option.getKey().equals(IFNAME)) {
                args.add("--" + option.getKey() + "=" + option.getValue());
            }
        }
        FilterScope scope = agentScope.combine(new FilterScope(options.get(NETNS), options.get(IFNAME)), inodeOf);
        if (scope.netns() != null) {
            args.add("--" + NETNS + "=" + scope.netns());
        }
        if (scope.ifname() != null) {
            args.add("--" + IFNAME + "=" + scope.ifname());
        }
        args.add("--output-json");
        if (maxEvents > 0) {
            args.add("--output-limit-lines=" + maxEvents);
        }
        if (filter != null && !filter.isBlank()) {
            args.add("--");
            args.add(filter.trim());
        }
        return args;
    }

    /**
     * The options after an update: only {@link SessionOptions#UPDATABLE} ones may change.
     *
     * @throws SessionRefusedException naming the first option that may not change
     */
    static Map<String, String> updated(Map<String, String> current, Map<String, String> changes)
            throws SessionRefusedException {
        for (String name : new TreeMap<>(changes).keySet()) {
            if (!SessionOptions.UPDATABLE.contains(name)) {
                throw new SessionRefusedException("option \"" + name + "\" cannot change while a session runs (only "
                        + String.join(", ", new java.util.TreeSet<>(SessionOptions.UPDATABLE))
                        + "); arm a new session");
            }
        }
        Map<String, String> merged = new TreeMap<>(current);
        merged.putAll(changes);
        return merged;
    }
}
