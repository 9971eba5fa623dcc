package io.skbtrail.agent.probe.kprobe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The functions ftrace can hook (tracefs {@code available_filter_functions}): a kprobe on anything else
 * is refused or unsafe. Lines are {@code name} for vmlinux and {@code name [module]} for modules.
 * tracefs moved from /sys/kernel/debug/tracing to /sys/kernel/tracing; both are tried.
 */
public final class TraceableFunctions {
    static final List<Path> LOCATIONS = List.of(Path.of("/sys/kernel/tracing/available_filter_functions"),
            Path.of("/sys/kernel/debug/tracing/available_filter_functions"));

    private final Set<String> names;

    private TraceableFunctions(Set<String> names) {
        this.names = names;
    }

    /** Reads the first readable list; explains how to mount tracefs when there is none. */
    public static TraceableFunctions load() throws IOException {
        IOException last = null;
        for (Path p : LOCATIONS) {
            if (Files.isReadable(p)) {
                try {
                    return parse(Files.readString(p, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    last = e;
                }
            }
        }
        throw new IOException("cannot read available_filter_functions (" + (last == null ? "tracefs not mounted"
                : last.getMessage()) + "): mount -t tracefs nodev /sys/kernel/tracing, or in a container mount the"
                + " host's /sys/kernel/debug and /sys/kernel/tracing");
    }

    /** Where tracefs' list is, if it can really be read (some kernels refuse the read itself: EPERM). */
    public static Optional<Path> location() {
        return LOCATIONS.stream().filter(TraceableFunctions::opens).findFirst();
    }

    private static boolean opens(Path p) {
        try (var in = Files.newInputStream(p)) {
            in.read();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static TraceableFunctions parse(String text) {
        Set<String> names = new HashSet<>();
        text.lines().forEach(line -> {
            String l = line.strip();
            if (!l.isEmpty()) {
                // "name [module]" and, on some kernels, trailing annotations after a tab or space.
                int sp = l.indexOf(' ');
                String name = sp < 0 ? l : l.substring(0, sp);
                int open = l.indexOf('[');
                int close = l.indexOf(']', open + 1);
                names.add(open > 0 && close > open ? key(name, l.substring(open + 1, close)) : key(name, null));
            }
        });
        return new TraceableFunctions(names);
    }

    public boolean contains(String function, String module) {
        return names.contains(key(function, module));
    }

    public int size() {
        return names.size();
    }

    private static String key(String function, String module) {
        return module == null ? function : function + " [" + module + "]";
    }
}
