package io.skbtrail.server.events;

import io.skbtrail.protocol.Event;
import io.skbtrail.server.api.ApiProblem;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What an event filter selects: {@code host} (one name or several, comma-separated), {@code func},
 * {@code dropReason} (a reason, or {@code *} for every drop), {@code saddr}/{@code daddr} (an address or a
 * CIDR prefix), {@code sport}/{@code dport}, {@code packet}. Missing or empty values do not constrain.
 *
 * <p>One parser and one meaning for every consumer: the events query and the downloads turn it into SQL,
 * the live stream tests stored events against it in memory ({@link #matches}); both give the same answer
 * for the same event, and refuse the same values with the same messages.
 */
public final class EventCriteria {
    /** The filter keys, as query parameters and as keys of a live subscription's filter. */
    public static final List<String> KEYS = List.of("host", "func", "dropReason", "saddr", "daddr", "sport",
            "dport", "packet");

    /** No constraint at all. */
    public static final EventCriteria NONE = new EventCriteria();

    private long[] hostIds;
    private String func;
    private boolean anyDrop;
    private String dropReason;
    private Prefix saddr;
    private Prefix daddr;
    private int sport = -1;
    private int dport = -1;
    private Long packet;

    private EventCriteria() {}

    /**
     * Checks raw values (keys of {@link #KEYS}; null or blank means absent).
     *
     * @param hostIdByName the id of a host name, or null if no host has it
     * @throws ApiProblem 400 naming the first field at fault
     */
    public static EventCriteria parse(Map<String, String> raw, Function<String, Long> hostIdByName) {
        EventCriteria c = new EventCriteria();
        String host = value(raw, "host");
        if (host != null) {
            List<Long> ids = new ArrayList<>();
            for (String name : host.split(",")) {
                String n = name.trim();
                if (n.isEmpty()) {
                    continue;
                }
                Long id = hostIdByName.apply(n);
                if (id == null) {
                    throw bad("host", "unknown host \"" + n + "\"");
                }
                ids.add(id);
            }
            if (!ids.isEmpty()) {
                c.hostIds = ids.stream().mapToLong(Long::longValue).distinct().sorted().toArray();
            }
        }
        c.func = value(raw, "func");
        String drop = value(raw, "dropReason");
        if ("*".equals(drop)) {
            c.anyDrop = true;
        } else {
            c.dropReason = drop;
        }
        c.saddr = Prefix.parse("saddr", value(raw, "saddr"));
        c.daddr = Prefix.parse("daddr", value(raw, "daddr"));
        c.sport = port("sport", value(raw, "sport"));
        c.dport = port("dport", value(raw, "dport"));
        String packet = value(raw, "packet");
        if (packet != null) {
            try {
                c.packet = Long.parseLong(packet);
            } catch (NumberFormatException e) {
                throw bad("packet", "must be a packet id (a whole number), not \"" + packet + "\"");
            }
        }
        return c;
    }

    /** The raw values of the filter keys from named parameters (nulls kept, for {@link #parse}). */
    public static Map<String, String> raw(String host, String func, String dropReason, String saddr, String daddr,
            String sport, String dport, String packet) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("func", func);
        m.put("dropReason", dropReason);
        m.put("saddr", saddr);
        m.put("daddr", daddr);
        m.put("sport", sport);
        m.put("dport", dport);
        m.put("packet", packet);
        return m;
    }

    private static String value(Map<String, String> raw, String key) {
        String v = raw.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static int port(String field, String value) {
        if (value == null) {
            return -1;
        }
        int p;
        try {
            p = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw bad(field, "must be a port number 0..65535");
        }
        if (p < 0 || p > 65535) {
            throw bad(field, "must be a port number 0..65535");
        }
        return p;
    }

    /** Adds the SQL conditions (on the {@code events} table) and their arguments. */
    void appendSql(List<String> conditions, List<Object> arguments) {
        if (hostIds != null) {
            StringBuilder in = new StringBuilder("host_id in (");
            for (int i = 0; i < hostIds.length; i++) {
                in.append(i == 0 ? "?" : ", ?");
                arguments.add(hostIds[i]);
            }
            conditions.add(in.append(')').toString());
        }
        if (func != null) {
            conditions.add("func = ?");
            arguments.add(func);
        }
        if (anyDrop) {
            conditions.add("drop_reason is not null");
        } else if (dropReason != null) {
            conditions.add("drop_reason = ?");
            arguments.add(dropReason);
        }
        if (saddr != null) {
            saddr.appendSql("saddr", conditions, arguments);
        }
        if (daddr != null) {
            daddr.appendSql("daddr", conditions, arguments);
        }
        if (sport >= 0) {
            conditions.add("sport = ?");
            arguments.add(sport);
        }
        if (dport >= 0) {
            conditions.add("dport = ?");
            arguments.add(dport);
        }
        if (packet != null) {
            conditions.add("packet_id = ?");
            arguments.add(packet);
        }
    }

    /** Whether an event stored from this host matches, exactly as the SQL conditions would decide. */
    public boolean matches(long hostId, Event e) {
        if (hostIds != null && Arrays.binarySearch(hostIds, hostId) < 0) {
            return false;
        }
        if (func != null && !func.equals(e.func())) {
            return false;
        }
        if (anyDrop && e.dropReason() == null || dropReason != null && !dropReason.equals(e.dropReason())) {
            return false;
        }
        if (packet != null && packet != e.packetId()) {
            return false;
        }
        Event.Tuple t = e.tuple();
        if (saddr != null || daddr != null || sport >= 0 || dport >= 0) {
            if (t == null) {
                return false; // the columns are null: no comparison holds
            }
            if (sport >= 0 && t.sport() != sport || dport >= 0 && t.dport() != dport) {
                return false;
            }
            if (saddr != null && !saddr.contains(t.saddr()) || daddr != null && !daddr.contains(t.daddr())) {
                return false;
            }
        }
        return true;
    }

    /** Whether nothing is constrained. */
    public boolean isEmpty() {
        return hostIds == null && func == null && !anyDrop && dropReason == null && saddr == null && daddr == null
                && sport < 0 && dport < 0 && packet == null;
    }

    static ApiProblem bad(String field, String message) {
        return ApiProblem.badRequest(field + ": " + message, List.of(new ApiProblem.FieldError(field, message)));
    }

    /**
     * An address ({@code = ?::inet}) or a prefix ({@code <<= ?::inet}). In memory, as PostgreSQL compares
     * {@code inet}: same family, and the first {@code bits} bits equal.
     */
    private static final class Prefix {
        final String text;
        final boolean exact;
        final byte[] address;
        final int bits;

        private Prefix(String text, boolean exact, byte[] address, int bits) {
            this.text = text;
            this.exact = exact;
            this.address = address;
            this.bits = bits;
        }

        static Prefix parse(String field, String value) {
            if (value == null) {
                return null;
            }
            int slash = value.indexOf('/');
            String ip = slash < 0 ? value : value.substring(0, slash);
            try {
                ip = EventRows.ip(ip, field);
            } catch (IllegalArgumentException e) {
                throw bad(field, "\"" + value + "\" is not an IP address or CIDR prefix");
            }
            byte[] bytes = bytes(ip);
            int max = bytes.length * 8;
            if (slash < 0) {
                return new Prefix(ip, true, bytes, max);
            }
            String bits = value.substring(slash + 1);
            if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                    || Integer.parseInt(bits) > max) {
                throw bad(field, "prefix length must be 0.." + max);
            }
            return new Prefix(ip + "/" + bits, false, bytes, Integer.parseInt(bits));
        }

        void appendSql(String column, List<String> conditions, List<Object> arguments) {
            conditions.add(column + (exact ? " = ?::inet" : " <<= ?::inet"));
            arguments.add(text);
        }

        boolean contains(String eventAddress) {
            byte[] a = eventAddress == null ? null : parseOrNull(eventAddress);
            if (a == null || a.length != address.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != address[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (address[full] & mask);
        }

        /** A checked IP literal's bytes (4 or 16; IPv4-mapped IPv6 is IPv4, as stored). */
        private static byte[] bytes(String literal) {
            byte[] b = parseOrNull(literal);
            if (b == null) {
                throw new IllegalArgumentException("not an IP literal: " + literal);
            }
            return b;
        }

        private static byte[] parseOrNull(String literal) {
            byte[] v4 = ipv4(literal);
            if (v4 != null) {
                return v4;
            }
            if (literal.indexOf(':') < 0) {
                return null;
            }
            try {
                return InetAddress.getByName(literal).getAddress(); // a literal with ':' is never looked up
            } catch (UnknownHostException | SecurityException e) {
                return null;
            }
        }

        /** Dotted quad without a name lookup, or null. */
        private static byte[] ipv4(String s) {
            byte[] out = new byte[4];
            int octet = 0;
            int value = 0;
            int digits = 0;
            for (int i = 0; i <= s.length(); i++) {
                char c = i < s.length() ? s.charAt(i) : '.';
                if (c >= '0' && c <= '9') {
                    value = value * 10 + (c - '0');
                    if (++digits > 3 || value > 255) {
                        return null;
                    }
                } else if (c == '.' && digits > 0 && octet < 4) {
                    out[octet++] = (byte) value;
                    value = 0;
                    digits = 0;
                } else {
                    return null;
                }
            }
            return octet == 4 ? out : null;
        }
    }
}
