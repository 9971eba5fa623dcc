package io.skbtrail.server.journeys;

import io.skbtrail.server.api.ApiProblem;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** {@code GET /api/diff?left=&right=}: two packet paths, or two sessions per flow. */
@Service
class DiffService {
    private final JourneyService journeys;

    DiffService(JourneyService journeys) {
        this.journeys = journeys;
    }

    /**
     * @param sharedSession for a share link: the one session both sides must be in (else 404, worded the same
     *     whether or not the other session exists); null for a signed-in viewer
     */
    Object diff(String leftText, String rightText, Long sharedSession) {
        DiffSide left = DiffSide.parse("left", leftText);
        DiffSide right = DiffSide.parse("right", rightText);
        if (sharedSession != null) {
            for (DiffSide side : new DiffSide[] {left, right}) {
                if (side.session() != sharedSession) {
                    throw ApiProblem.of(HttpStatus.NOT_FOUND, "session " + side.session()
                            + " is not shared by this link: a share link diffs only within its own session");
                }
            }
        }
        if (left.isSession() != right.isSession()) {
            throw ApiProblem.badRequest("left and right must both be sessions (12, 12@host), or both packet paths"
                    + " (session:journey or session:host:packet)");
        }
        if (left.isSession()) {
            SessionJourneys.View l = journeys.view(left.session());
            SessionJourneys.View r = journeys.view(right.session());
            int lh = hostOf("left", left, l.joined());
            int rh = hostOf("right", right, r.joined());
            journeys.loadAllFlows(l.joined());
            journeys.loadAllFlows(r.joined());
            return SessionDiffs.diff(new SessionDiffs.Scope(left, l, lh), new SessionDiffs.Scope(right, r, rh));
        }
        return PathDiffs.diff(path(left), path(right));
    }

    /** The index of the host a {@code 12@node-a} side is limited to, -1 for a whole session; 400 if unknown. */
    private static int hostOf(String field, DiffSide side, JoinedSession joined) {
        if (side.sessionHost() == null) {
            return -1;
        }
        int host = joined.hostIndexByName(side.sessionHost());
        if (host < 0) {
            List<String> names = new ArrayList<>();
            joined.hosts.forEach(h -> names.add(h.name()));
            throw DiffSide.bad(field, "\"" + side.sessionHost() + "\" is not a host of session " + side.session()
                    + (names.isEmpty() ? " (it has no events yet)" : "; its hosts: " + String.join(", ", names)));
        }
        return host;
    }

    private PathDiffs.Path path(DiffSide side) {
        JourneyService.Found found = side.journey() != null ? journeys.find(side.session(), side.journey())
                : journeys.findByPacket(side.session(), side.host(), side.packet(), side.generation());
        return PathDiffs.path(side, found);
    }
}
