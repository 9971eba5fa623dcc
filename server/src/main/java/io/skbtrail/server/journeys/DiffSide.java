package io.skbtrail.server.journeys;

import io.skbtrail.server.api.ApiProblem;
import java.util.List;

/**
 * One side of a diff, as given in {@code left=} or {@code right=}: a whole session ({@code 12}), one journey of
 * it ({@code 12:3-17}), or one packet on one host ({@code 12:node-1:17}, the agent's packet id: that host's
 * path only). Host names cannot contain ':' (letters, digits, '.', '_', '-').
 */
record DiffSide(String ref, long session, String journey, String host, Long packet, int generation) {

    boolean isSession() {
        return journey == null && host == null;
    }

    /** @throws ApiProblem 400 naming {@code field} */
    static DiffSide parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw bad(field, "missing: a session id, session:journey or session:host:packet");
        }
        String ref = text.trim();
        String[] parts = ref.split(":", -1);
        try {
            long session = Long.parseLong(parts[0]);
            if (session > 0) {
                if (parts.length == 1) {
                    return new DiffSide(ref, session, null, null, null, 0);
                }
                if (parts.length == 2 && !parts[1].isEmpty()) {
                    JourneyIds.parse(field, parts[1]);
                    return new DiffSide(ref, session, parts[1], null, null, 0);
                }
                if (parts.length == 3 && !parts[1].isEmpty()) {
                    long[] packet = JourneyIds.parsePacket(parts[2]);
                    if (packet != null) {
                        return new DiffSide(ref, session, null, parts[1], packet[0], (int) packet[1]);
                    }
                }
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw bad(field, "\"" + (ref.length() > 60 ? ref.substring(0, 60) + "…" : ref)
                + "\" is not a session id, session:journey or session:host:packet");
    }

    static ApiProblem bad(String field, String message) {
        return ApiProblem.badRequest(field + ": " + message, List.of(new ApiProblem.FieldError(field, message)));
    }
}
