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
 * The query parameters of {@code GET /api/sessions/{id}/events} (and of the downloads), checked and turned
 * into SQL conditions: the {@link EventCriteria}, then {@code from}/{@code to} and the keyset cursor.
 */
public final class EventFilter {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    final List<String> conditions = new ArrayList<>();
    final List<Object> arguments = new ArrayList<>();
    final int limit;

    /** The criteria, checked, and the paging parameters as they came; nulls are absent. */
    public record Params(EventCriteria criteria, String from, String to, String after, Integer limit) {}

    public EventFilter(Params p) {
        (p.criteria() == null ? EventCriteria.NONE : p.criteria()).appendSql(conditions, arguments);
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
        return EventCriteria.bad(field, message);
    }
}
