package io.skbtrail.server.journeys;

import io.skbtrail.server.api.ApiProblem;
import java.util.List;

/**
 * A journey's id: {@code <host id>-<packet id>} of its first lane, the host where the packet was first seen, and
 * {@code .<n>} for the n-th packet seen under that packet id (see {@link Segment#generation}).
 * It stays the same when the join is computed again, unless events that arrive later show the packet on an
 * earlier host; an id that names any lane of a journey finds that journey.
 */
final class JourneyIds {
    private JourneyIds() {}

    static String of(long hostId, long packetId, int generation) {
        return hostId + "-" + packet(packetId, generation);
    }

    /** A packet id as the API writes it: {@code 17}, or {@code 17.1} for the next packet seen under id 17. */
    static String packet(long packetId, int generation) {
        return generation == 0 ? Long.toString(packetId) : packetId + "." + generation;
    }

    /** {packet id, generation} of {@code 17} or {@code 17.1}; null if it is neither. */
    static long[] parsePacket(String text) {
        int dot = text.indexOf('.');
        try {
            long packet = Long.parseLong(dot < 0 ? text : text.substring(0, dot));
            long generation = dot < 0 ? 0 : Long.parseLong(text.substring(dot + 1));
            if (packet >= 0 && generation >= 0 && generation < Integer.MAX_VALUE) {
                return new long[] {packet, generation};
            }
        } catch (NumberFormatException e) {
            // below
        }
        return null;
    }

    /** {host id, packet id, generation}. @throws ApiProblem 400 naming {@code field} */
    static long[] parse(String field, String id) {
        int dash = id.indexOf('-');
        try {
            if (dash > 0) {
                long host = Long.parseLong(id.substring(0, dash));
                long[] packet = parsePacket(id.substring(dash + 1));
                if (host > 0 && packet != null) {
                    return new long[] {host, packet[0], packet[1]};
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
