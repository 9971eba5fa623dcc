package io.skbtrail.agent.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GNU-style flags: {@code --name value}, {@code --name=value}, booleans as {@code --name} or
 * {@code --name=false}; everything else is a positional argument (joined into the pcap expression).
 * A flag given twice keeps its last value; {@link #all} has every value (repeatable flags).
 */
final class Flags {
    private final Map<String, Boolean> known; // name -> takes a value
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, List<String>> every = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Flags(Map<String, Boolean> known) {
        this.known = known;
    }

    /** @param known flag names (without dashes) mapped to whether they take a value */
    static Flags parse(String[] args, int from, Map<String, Boolean> known) {
        Flags flags = new Flags(known);
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                for (int j = i + 1; j < args.length; j++) {
                    flags.positional.add(args[j]);
                }
                break;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                flags.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Boolean takesValue = known.get(name);
            if (takesValue == null) {
                throw new UsageException("unknown flag --" + name + " (see --help)");
            }
            if (takesValue && value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("flag --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (!takesValue && value == null) {
                value = "true";
            }
            flags.values.put(name, value);
            flags.every.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return flags;
    }

    List<String> positional() {
        return positional;
    }

    /** Every value given for {@code name}, in order (empty when not given). */
    List<String> all(String name) {
        return every.getOrDefault(name, List.of());
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean bool(String name, boolean fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        return switch (v) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new UsageException("flag --" + name + " takes true or false, not \"" + v + "\"");
        };
    }

    long number(String name, long fallback, long min, long max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        long n;
        try {
            n = v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("flag --" + name + " takes a number, not \"" + v + "\"");
        }
        if (n < min || n > max) {
            throw new UsageException("flag --" + name + " must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }
}
