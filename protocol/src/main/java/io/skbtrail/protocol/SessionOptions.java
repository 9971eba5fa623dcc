package io.skbtrail.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The agent's {@code trace} flags a session may set, by name without {@code --}. Host-local flags (output
 * files, kernel BTF path, backend, debug) stay the agent operator's: a session cannot set them.
 */
public final class SessionOptions {

    /** Flag name → kind of value. */
    public static final Map<String, Kind> ALLOWED;

    /** The options {@link ServerFrame.Update} may change on a running session without reloading probes. */
    public static final Set<String> UPDATABLE = Set.of("filter-netns", "filter-mark", "filter-ifname");

    /** What a flag's value must look like. */
    public enum Kind {
        /** {@code "true"} or {@code "false"}. */
        SWITCH,
        /** A non-negative decimal integer. */
        NUMBER,
        /** Free text the agent checks (netns path, mark/mask, interface, regular expression). */
        TEXT
    }

    static {
        Map<String, Kind> allowed = new LinkedHashMap<>();
        for (String f : new String[] {"filter-netns", "filter-mark", "filter-ifname", "filter-func"}) {
            allowed.put(f, Kind.TEXT);
        }
        for (String f : new String[] {"filter-track-max-age", "output-packet-bytes", "rate-limit",
                "tracked-skbs"}) {
            allowed.put(f, Kind.NUMBER);
        }
        for (String f : new String[] {"filter-track-skb", "output-tcp-flags", "output-stack", "output-caller",
                "output-skb", "filter-trace-tc", "filter-trace-xdp"}) {
            allowed.put(f, Kind.SWITCH);
        }
        ALLOWED = java.util.Collections.unmodifiableMap(allowed);
    }

    private SessionOptions() {}

    /**
     * Checks one option as a session would send it.
     *
     * @return null when valid, else a message naming the option and what it takes
     */
    public static String problem(String name, String value) {
        Kind kind = ALLOWED.get(name);
        if (kind == null) {
            return "unknown option \"" + name + "\"; sessions take " + String.join(", ", ALLOWED.keySet());
        }
        if (value == null) {
            return "option \"" + name + "\" needs a value";
        }
        return switch (kind) {
            case SWITCH -> value.equals("true") || value.equals("false") ? null
                    : "option \"" + name + "\" takes true or false, not \"" + value + "\"";
            case NUMBER -> value.matches("[0-9]{1,12}") ? null
                    : "option \"" + name + "\" takes a non-negative integer, not \"" + value + "\"";
            case TEXT -> value.isEmpty() || value.length() > 4096 || value.chars().anyMatch(c -> c < 0x20)
                    ? "option \"" + name + "\" takes a non-empty single-line value" : null;
        };
    }
}
