package io.skbtrail.agent.btf;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Names of the kernel's packet drop reasons, from {@code enum skb_drop_reason} (Linux 5.17+), as carried by the
 * {@code skb:kfree_skb} tracepoint and {@code sk_skb_reason_drop()}.
 *
 * <p>Names lose their {@code SKB_DROP_REASON_} prefix ({@code NETFILTER_DROP}, {@code NO_SOCKET}); the two values
 * outside that namespace become {@code NOT_DROPPED_YET} ({@code SKB_NOT_DROPPED_YET}) and {@code CONSUMED}
 * ({@code SKB_CONSUMED}). The enum's bookkeeping entries ({@code SKB_DROP_REASON_MAX},
 * {@code SKB_DROP_REASON_SUBSYS_MASK}) are not reasons and are left out. Numbers differ between kernel versions,
 * which is why they are read from BTF and never hard-coded.
 */
public final class DropReasons {
    static final String ENUM_NAME = "skb_drop_reason";
    private static final String PREFIX = "SKB_DROP_REASON_";
    private static final String NOT_DROPPED_YET = "NOT_DROPPED_YET";
    private static final String CONSUMED = "CONSUMED";
    private static final String NOT_SPECIFIED = "NOT_SPECIFIED";

    private static final DropReasons ABSENT = new DropReasons(Map.of());

    private final Map<Long, String> names;

    private DropReasons(Map<Long, String> names) {
        this.names = names;
    }

    /** The drop reasons of {@code btf}; same as {@link KernelBtf#dropReasons()}. */
    public static DropReasons from(KernelBtf btf) {
        return btf.dropReasons();
    }

    /** No drop reason names: no BTF, or a kernel older than 5.17. */
    public static DropReasons absent() {
        return ABSENT;
    }

    /** From the raw values of {@code enum skb_drop_reason} (value to enumerator name). */
    static DropReasons of(Map<Long, String> enumValues) {
        if (enumValues.isEmpty()) {
            return ABSENT;
        }
        Map<Long, String> names = new TreeMap<>(Long::compareUnsigned);
        enumValues.forEach((value, raw) -> {
            String name = shortName(raw);
            if (name != null) {
                names.putIfAbsent(value, name);
            }
        });
        return new DropReasons(Collections.unmodifiableMap(names));
    }

    private static String shortName(String raw) {
        switch (raw) {
            case "SKB_NOT_DROPPED_YET":
                return NOT_DROPPED_YET;
            case "SKB_CONSUMED":
                return CONSUMED;
            case "SKB_DROP_REASON_MAX":
            case "SKB_DROP_REASON_SUBSYS_MASK":
                return null;
            default:
                return raw.startsWith(PREFIX) ? raw.substring(PREFIX.length()) : raw;
        }
    }

    /** False when this kernel's BTF has no {@code enum skb_drop_reason} (before 5.17): every name is then null. */
    public boolean isAvailable() {
        return !names.isEmpty();
    }

    /** The reason's name ({@code NETFILTER_DROP}), or null for a value this kernel does not name. */
    public String name(long value) {
        return names.get(value);
    }

    /**
     * Whether {@code value} reports a packet the kernel actually dropped: false for {@code NOT_DROPPED_YET},
     * {@code CONSUMED} (normal end of life) and {@code NOT_SPECIFIED} (plain {@code kfree_skb()} with no reason given),
     * true for every other value, including ones this kernel does not name.
     */
    public boolean isRealDrop(long value) {
        String name = names.get(value);
        return !(NOT_DROPPED_YET.equals(name) || CONSUMED.equals(name) || NOT_SPECIFIED.equals(name));
    }

    /** Every named reason, by ascending value. */
    public Map<Long, String> all() {
        return names;
    }

    @Override
    public String toString() {
        return isAvailable() ? "DropReasons[" + names.size() + " reasons]" : "DropReasons[absent]";
    }
}
