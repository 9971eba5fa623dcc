package io.skbtrail.server.journeys;

import io.skbtrail.server.api.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One page of a session's journeys: {@code ?state=&host=&host2=&reason=&after=&limit=}. Ordered by when the
 * packet was first seen on the common clock (then by id); the cursor is that position, so pages do not move
 * when the join is computed again with more events.
 */
final class JourneyList {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** The query parameters, as text; absent ones are null. */
    record Params(String state, String host, String host2, String reason, String after, String limit) {}

    private JourneyList() {}

    /** @param loadFlows reads the flows of the journeys about to be shown */
    static String page(SessionJourneys.View view, Params p, java.util.function.Consumer<List<Journey>> loadFlows) {
        JoinedSession joined = view.joined();
        Journey.State state = null;
        if (present(p.state())) {
            state = Journey.State.fromWireName(p.state().trim());
            if (state == null) {
                throw bad("state", "one of delivered, forwarded, dropped, unknown");
            }
        }
        int host = host(joined, "host", p.host());
        int host2 = host(joined, "host2", p.host2());
        String reason = present(p.reason()) ? p.reason().trim() : null;
        int limit = DEFAULT_LIMIT;
        if (present(p.limit())) {
            try {
                limit = Integer.parseInt(p.limit().trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw bad("limit", "must be a whole number from 1 to " + MAX_LIMIT);
            }
        }
        int start = 0;
        if (present(p.after())) {
            long[] cursor = cursor(p.after().trim());
            start = joined.indexAfter(cursor[0], cursor[1], cursor[2]);
        }
        List<Journey> shown = new java.util.ArrayList<>(limit);
        boolean more = false;
        for (int i = start; i < joined.journeys.length; i++) {
            Journey j = joined.journeys[i];
            if (!matches(j, state, host, host2, reason)) {
                continue;
            }
            if (shown.size() == limit) {
                more = true;
                break;
            }
            shown.add(j);
        }
        loadFlows.accept(shown);
        StringBuilder out = new StringBuilder(limit * 400 + 256).append("{\"journeys\":[");
        for (int i = 0; i < shown.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            JourneyJson.summaryOpen(out, joined, shown.get(i)).append('}');
        }
        Journey last = shown.isEmpty() ? null : shown.get(shown.size() - 1);
        out.append("],\"next\":");
        if (more) {
            out.append('"').append(cursor(last)).append('"');
        } else {
            out.append("null");
        }
        out.append(',');
        JourneyJson.join(out, view);
        return out.append('}').toString();
    }

    static boolean matches(Journey j, Journey.State state, int host, int host2, String reason) {
        if (state != null && j.state != state) {
            return false;
        }
        if (reason != null) {
            String r = j.dropLane < 0 ? null : j.lanes[j.dropLane].dropReason;
            if (r == null || !reason.equals("*") && !reason.equals(r)) {
                return false;
            }
        }
        if (host >= 0 || host2 >= 0) {
            int at = -1;
            if (host >= 0) {
                at = indexOf(j.hostOrder, host, 0);
                if (at < 0) {
                    return false;
                }
            }
            return host2 < 0 || indexOf(j.hostOrder, host2, at + 1) >= 0;
        }
        return true;
    }

    private static int indexOf(int[] order, int host, int from) {
        for (int i = from; i < order.length; i++) {
            if (order[i] == host) {
                return i;
            }
        }
        return -1;
    }

    private static int host(JoinedSession joined, String field, String name) {
        if (!present(name)) {
            return -1;
        }
        int i = joined.hostIndexByName(name.trim());
        if (i < 0) {
            throw bad(field, "\"" + name.trim() + "\" is not a host of session " + joined.session);
        }
        return i;
    }

    static String cursor(Journey j) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (j.firstNs + "." + j.firstHostId + "." + j.first().packetId).getBytes(StandardCharsets.US_ASCII));
    }

    private static long[] cursor(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII).split("\\.");
            if (parts.length == 3) {
                return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw bad("after", "not a cursor this API returned in \"next\"");
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    static ApiProblem bad(String field, String message) {
        return ApiProblem.badRequest(field + ": " + message, List.of(new ApiProblem.FieldError(field, message)));
    }
}
