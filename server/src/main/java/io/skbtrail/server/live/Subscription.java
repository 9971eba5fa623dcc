package io.skbtrail.server.live;

import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.events.EventCriteria;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A viewer's {@code subscribe} message, checked:
 * {@code {"type":"subscribe","after":<seq or null>,"stream":<optional>,"compact":<optional>,
 * "filter":{"host":"a,b","saddr":"10.0.0.0/8",…}}}. The filter's keys and values are the events query's
 * parameters, checked by the same {@link EventCriteria}.
 *
 * @param compact events in the compact form ({@link CompactEvent}); absent: false
 * @param after resume after this seq; null: from now
 * @param stream the stream the viewer's {@code after} belongs to, if it says
 */
record Subscription(EventCriteria filter, boolean compact, Long after, String stream) {
    private static final java.util.Set<String> FIELDS = java.util.Set.of("type", "after", "stream", "compact", "filter");

    /** Longest subscribe message read. */
    static final int MAX_CHARS = 16 * 1024;

    /** A subscription the server refuses; {@code field} is null when the message as a whole is wrong. */
    static final class Refused extends RuntimeException {
        final String field;

        Refused(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    static Subscription parse(String text, ObjectMapper json, Function<String, Long> hostIdByName) {
        if (text.length() > MAX_CHARS) {
            throw new Refused(null, "message longer than " + MAX_CHARS + " characters");
        }
        JsonNode m;
        try {
            m = json.readTree(text);
        } catch (JacksonException e) {
            throw new Refused(null, "not JSON: " + e.getOriginalMessage());
        }
        if (m == null || !m.isObject()) {
            throw new Refused(null, "expected a JSON object");
        }
        JsonNode type = m.get("type");
        if (type == null || !type.isString() || !type.asString().equals("subscribe")) {
            throw new Refused("type", "expected \"subscribe\" (the only message a viewer sends)");
        }
        for (Map.Entry<String, JsonNode> field : m.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                throw new Refused(field.getKey(), "unknown field; a subscription has type, after, stream, compact and filter");
            }
        }
        Long after = null;
        JsonNode a = m.get("after");
        if (a != null && !a.isNull()) {
            if (!a.isIntegralNumber() || !a.canConvertToLong() || a.asLong() < 0) {
                throw new Refused("after", "expected a seq (a whole number from 0) or null");
            }
            after = a.asLong();
        }
        String stream = null;
        JsonNode s = m.get("stream");
        if (s != null && !s.isNull()) {
            if (!s.isString()) {
                throw new Refused("stream", "expected the stream id from hello, or null");
            }
            stream = s.asString();
        }
        boolean compact = false;
        JsonNode c = m.get("compact");
        if (c != null && !c.isNull()) {
            if (!c.isBoolean()) {
                throw new Refused("compact", "expected true (events in the compact form) or false");
            }
            compact = c.asBoolean();
        }
        return new Subscription(filter(m.get("filter"), hostIdByName), compact, after, stream);
    }

    private static EventCriteria filter(JsonNode f, Function<String, Long> hostIdByName) {
        if (f == null || f.isNull()) {
            return EventCriteria.NONE;
        }
        if (!f.isObject()) {
            throw new Refused("filter", "expected an object of filter values");
        }
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : f.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (!EventCriteria.KEYS.contains(key)) {
                throw new Refused(key, "not a filter key; one of " + String.join(", ", EventCriteria.KEYS));
            }
            if (v.isNull()) {
                continue;
            }
            if (!v.isString() && !v.isNumber()) {
                throw new Refused(key, "expected a string (as in the events query)");
            }
            values.put(key, v.asString());
        }
        try {
            return EventCriteria.parse(values, hostIdByName);
        } catch (ApiProblem p) {
            ApiProblem.FieldError e = p.errors().isEmpty() ? null : p.errors().get(0);
            throw new Refused(e == null ? "filter" : e.field(), e == null ? p.getMessage() : e.message());
        }
    }
}
