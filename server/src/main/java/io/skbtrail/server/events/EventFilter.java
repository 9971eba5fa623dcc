package io.skbtrail.server.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;
import io.skbtrail.server.api.ApiProblem;

/**
 * The query parameters of {@code GET /api/sessions/{id}/events}, checked and turned into SQL conditions.
 * {@code dropReason=*} selects every drop; {@code saddr}/{@code daddr} take an address or a CIDR prefix.
 */
public final class EventFilter {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    final List<String> conditions = new ArrayList<>();
    final List<Object> arguments = new ArrayList<>();
    final int limit;

    /** Raw parameters as they came; nulls are absent. */
    public record Params(Long hostId, String func, String dropReason, String saddr, String daddr, Integer sport,
            Integer dport, Long packet, String from, String to, String after, Integer limit) {}

    public EventFilter(Params p) {
        if (p.hostId() != null) {
            add("host_id = ?", p.hostId());
        }
        if (p.func() != null) {
            add("func = ?", p.func());
        }
        if ("*".equals(p.dropReason())) {
            conditions.add("drop_reason is not null");
        } else if (p.dropReason() != null) {
            add("drop_reason = ?", p.dropReason());
        }
        address("saddr", p.saddr());
        address("daddr", p.daddr());
        port("sport", p.sport());
        port("dport", p.dport());
        if (p.packet() != null) {
            add("packet_id = ?", p.packet());
        }
        if (p.from() != null) {
            add("time_ns >= ?", nanos("from", p.from()));
        }
        if (p.to() != null) {
            add("time_ns < ?", nanos("to", p.to()));
        }
        if (p.after() != null) {
            long[] cursor = cursor(p.after());
            conditions.add("(time_ns, id) > (?, ?)");
            arguments.add(cursor[0]);
            arguments.add(cursor[1]);
        }
        int n = p.limit() == null ? DEFAULT_LIMIT : p.limit();
        if (n < 1 || n > MAX_LIMIT) {
            throw bad("limit", "must be between 1 and " + MAX_LIMIT);
        }
        limit = n;
    }

    private void add(String condition, Object argument) {
        conditions.add(condition);
        arguments.add(argument);
    }

    private void address(String column, String value) {
        if (value == null) {
            return;
        }
        int slash = value.indexOf('/');
        String ip = slash < 0 ? value : value.substring(0, slash);
        try {
            ip = EventRows.ip(ip, column);
        } catch (IllegalArgumentException e) {
            throw bad(column, "\"" + value + "\" is not an IP address or CIDR prefix");
        }
        if (slash < 0) {
            add(column + " = ?::inet", ip);
            return;
        }
        String bits = value.substring(slash + 1);
        int max = ip.contains(":") ? 128 : 32;
        if (!bits.matches("[0-9]{1,3}") || Integer.parseInt(bits) > max) {
            throw bad(column, "prefix length must be 0.." + max);
        }
        add(column + " <<= ?::inet", ip + "/" + bits);
    }

    private void port(String column, Integer value) {
        if (value == null) {
            return;
        }
        if (value < 0 || value > 65535) {
            throw bad(column, "must be a port number 0..65535");
        }
        add(column + " = ?", value);
    }

    private static long nanos(String name, String text) {
        try {
            Instant t = OffsetDateTime.parse(text).toInstant();
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (DateTimeParseException e) {
            throw bad(name, "expected an RFC 3339 time such as 2026-11-25T10:00:00Z, got \"" + text + "\"");
        }
    }

    /** The opaque cursor after a row: base64url of {@code time_ns.id}. */
    static String cursor(long timeNs, long id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((timeNs + "." + id).getBytes(StandardCharsets.US_ASCII));
    }

    private static long[] cursor(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII).split("\\.");
            return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            throw bad("after", "not a cursor this API returned in \"next\"");
        }
    }

    static ApiProblem bad(String field, String message) {
        return ApiProblem.badRequest(field + ": " + message, List.of(new ApiProblem.FieldError(field, message)));
    }
}
