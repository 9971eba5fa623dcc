package io.skbtrail.server.journeys;

import io.skbtrail.server.api.ApiProblem;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One side of a diff, as given in {@code left=} or {@code right=}: a whole session ({@code 12}), one host's part of
 * a session ({@code 12@node-a}: only that host's events, to compare two hosts of one session), one journey of it
 * ({@code 12:3-17}), or one packet on one host ({@code 12:node-1:17}, the agent's packet id: that host's path only).
 * Host names cannot contain ':' or '@' (letters, digits, '.', '_', '-').
 *
 * @param sessionHost for {@code 12@node-a}: the host the session side is limited to; null otherwise
 */
record DiffSide(String ref, long session, String journey, String host, Long packet, int generation,
        String sessionHost) {
    private static final String FORMS = "a session id (12), session@host (12@node-a), session:journey (12:3-17)"
            + " or session:host:packet (12:node-a:17)";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    boolean isSession() {
        return journey == null && host == null;
    }

    /** @throws ApiProblem 400 naming {@code field} */
    static DiffSide parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw bad(field, "missing: " + FORMS);
        }
        String ref = text.trim();
        try {
            int at = ref.indexOf('@');
            if (at >= 0) {
                String host = ref.substring(at + 1);
                long session = Long.parseLong(ref.substring(0, at));
                if (session > 0 && HOST.matcher(host).matches()) {
                    return new DiffSide(ref, session, null, null, null, 0, host);
                }
                throw bad(field, "\"" + shortened(ref) + "\" is not session@host: a session id, '@' and a host name"
                        + " (letters, digits, '.', '_', '-'), e.g. 12@node-a");
            }
            String[] parts = ref.split(":", -1);
            long session = Long.parseLong(parts[0]);
            if (session > 0) {
                if (parts.length == 1) {
                    return new DiffSide(ref, session, null, null, null, 0, null);
                }
                if (parts.length == 2 && !parts[1].isEmpty()) {
                    JourneyIds.parse(field, parts[1]);
                    return new DiffSide(ref, session, parts[1], null, null, 0, null);
                }
                if (parts.length == 3 && !parts[1].isEmpty()) {
                    long[] packet = JourneyIds.parsePacket(parts[2]);
                    if (packet != null) {
                        return new DiffSide(ref, session, null, parts[1], packet[0], (int) packet[1], null);
                    }
                }
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw bad(field, "\"" + shortened(ref) + "\" is not " + FORMS);
    }

    private static String shortened(String ref) {
        return ref.length() > 60 ? ref.substring(0, 60) + "…" : ref;
    }

    static ApiProblem bad(String field, String message) {
        return ApiProblem.badRequest(field + ": " + message, List.of(new ApiProblem.FieldError(field, message)));
    }
}
