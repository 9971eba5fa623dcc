package io.skbtrail.server.journeys;

import io.skbtrail.server.api.ApiProblem;
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
            throw ApiProblem.badRequest("left and right must both be sessions, or both packet paths"
                    + " (session:journey or session:host:packet)");
        }
        if (left.isSession()) {
            SessionJourneys.View l = journeys.view(left.session());
            SessionJourneys.View r = journeys.view(right.session());
            journeys.loadAllFlows(l.joined());
            journeys.loadAllFlows(r.joined());
            return SessionDiffs.diff(left, l, right, r);
        }
        return PathDiffs.diff(path(left), path(right));
    }

    private PathDiffs.Path path(DiffSide side) {
        JourneyService.Found found = side.journey() != null ? journeys.find(side.session(), side.journey())
                : journeys.findByPacket(side.session(), side.host(), side.packet(), side.generation());
        return PathDiffs.path(side, found);
    }
}
