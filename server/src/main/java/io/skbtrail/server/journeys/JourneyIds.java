package io.skbtrail.server.journeys;

import io.skbtrail.server.api.ApiProblem;
import java.util.List;

/**
 * A journey's id: {@code <host id>-<packet id>} of its first lane, the host where the packet was first seen.
 * It stays the same when the join is computed again, unless events that arrive later show the packet on an
 * earlier host; an id that names any lane of a journey finds that journey.
 */
final class JourneyIds {
    private JourneyIds() {}

    static String of(long hostId, long packetId) {
        return hostId + "-" + packetId;
    }

    /** {host id, packet id}. @throws ApiProblem 400 naming {@code field} */
    static long[] parse(String field, String id) {
        int dash = id.indexOf('-');
        try {
            if (dash > 0) {
                long host = Long.parseLong(id.substring(0, dash));
                long packet = Long.parseLong(id.substring(dash + 1));
                if (host > 0 && packet >= 0) {
                    return new long[] {host, packet};
                }
            }
        } catch (NumberFormatException e) {
            // below
        }
        String message = "\"" + (id.length() > 40 ? id.substring(0, 40) + "…" : id)
                + "\" is not a journey id (<host id>-<packet id>, as the journeys list gives it)";
        throw ApiProblem.badRequest(field + ": " + message, List.of(new ApiProblem.FieldError(field, message)));
    }
}
