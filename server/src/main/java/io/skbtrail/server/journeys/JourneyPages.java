package io.skbtrail.server.journeys;

import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.dashboard.PageModel;
import io.skbtrail.server.sessions.SessionService;
import io.skbtrail.server.sharing.SharedSessionAccess;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The dashboard's journey pages: a session's journeys ({@code /sessions/{id}/journeys}), one journey
 * ({@code …/journeys/{jid}}), and the same read-only under a share link ({@code /s/{token}/journeys…}). Like the
 * session view, each page is a frame its script fills from the journeys API. {@code …/journeys/find?host=&packet=&time=}
 * leads from one host's packet (as the session view shows it) to the journey that holds it.
 */
@Controller
class JourneyPages {
    private final SessionService sessions;
    private final SharedSessionAccess shared;
    private final JourneyService journeys;

    JourneyPages(SessionService sessions, SharedSessionAccess shared, JourneyService journeys) {
        this.sessions = sessions;
        this.shared = shared;
        this.journeys = journeys;
    }

    @GetMapping("/sessions/{id}/journeys")
    String list(@PathVariable long id, Model model, HttpServletResponse response) {
        PageModel.signedIn(model, "sessions");
        return page(model, response, signedInPage(id, null), "journeys");
    }

    @GetMapping("/sessions/{id}/journeys/{jid}")
    String journey(@PathVariable long id, @PathVariable String jid, Model model, HttpServletResponse response) {
        PageModel.signedIn(model, "sessions");
        return page(model, response, signedInPage(id, jid), "journey");
    }

    @GetMapping("/sessions/{id}/journeys/find")
    String find(@PathVariable long id, @RequestParam(required = false) String host,
            @RequestParam(required = false) String packet, @RequestParam(required = false) String time, Model model,
            HttpServletResponse response) {
        PageModel.signedIn(model, "sessions");
        return follow(model, response, signedInPage(id, null), host, packet, time);
    }

    @GetMapping("/s/{token}/journeys")
    String sharedList(@PathVariable String token, Model model, HttpServletResponse response) {
        PageModel.shared(model);
        Page page = sharedPage(token, null);
        return page == null ? PageModel.notFound(model, response, PageModel.SHARE_LINK_REFUSED)
                : page(model, response, page, "journeys");
    }

    @GetMapping("/s/{token}/journeys/{jid}")
    String sharedJourney(@PathVariable String token, @PathVariable String jid, Model model,
            HttpServletResponse response) {
        PageModel.shared(model);
        Page page = sharedPage(token, jid);
        return page == null ? PageModel.notFound(model, response, PageModel.SHARE_LINK_REFUSED)
                : page(model, response, page, "journey");
    }

    @GetMapping("/s/{token}/journeys/find")
    String sharedFind(@PathVariable String token, @RequestParam(required = false) String host,
            @RequestParam(required = false) String packet, @RequestParam(required = false) String time, Model model,
            HttpServletResponse response) {
        PageModel.shared(model);
        Page page = sharedPage(token, null);
        return page == null ? PageModel.notFound(model, response, PageModel.SHARE_LINK_REFUSED)
                : follow(model, response, page, host, packet, time);
    }

    private Page signedInPage(long id, String jid) {
        String api = "/api/sessions/" + id;
        return new Page(id, null, jid, api, api, "/sessions/" + id, "/diff", false);
    }

    /** The page of a share link, or null when the link opens nothing (unknown, revoked, expired, session deleted). */
    private Page sharedPage(String token, String jid) {
        long id;
        try {
            id = shared.sessionId(token);
        } catch (ApiProblem refused) {
            return null;
        }
        String api = "/api/shared/" + token;
        return new Page(id, null, jid, api, api + "/session", "/s/" + token, "/s/" + token + "/diff", true);
    }

    private String page(Model model, HttpServletResponse response, Page page, String template) {
        String state;
        try {
            state = sessions.get(page.session()).getState();
        } catch (ApiProblem missing) {
            return PageModel.notFound(model, response, page.readOnly() ? PageModel.SHARE_LINK_REFUSED
                    : "Session " + page.session() + " does not exist (it may have been deleted).");
        }
        if (page.journey() != null) {
            try {
                JourneyIds.parse("journey", page.journey());
            } catch (ApiProblem malformed) {
                return PageModel.notFound(model, response, "\"" + shortened(page.journey()) + "\" is not a journey id"
                        + " (<host id>-<packet id>, as the journeys list links them). Open the session's journeys"
                        + " to pick one.");
            }
        }
        model.addAttribute("view", page.withState(state));
        return template;
    }

    /** To the journey holding this host's packet (the segment its event at {@code time} belongs to). */
    private String follow(Model model, HttpServletResponse response, Page page, String host, String packet,
            String time) {
        try {
            sessions.get(page.session());
        } catch (ApiProblem missing) {
            return PageModel.notFound(model, response, page.readOnly() ? PageModel.SHARE_LINK_REFUSED
                    : "Session " + page.session() + " does not exist (it may have been deleted).");
        }
        long[] id = packet == null ? null : JourneyIds.parsePacket(packet.trim());
        Long timeNs = epochNs(time);
        if (host == null || host.isBlank() || id == null || (time != null && !time.isBlank() && timeNs == null)) {
            return PageModel.notFound(model, response, "To find a packet's journey, give its host, packet id and"
                    + " the time of one of its events (host=…&packet=…&time=…), as the session view's packet path links it.");
        }
        SessionJourneys.View view = journeys.view(page.session());
        JoinedSession joined = view.joined();
        int h = joined.hostIndexByName(host.trim());
        Segment s = h < 0 ? null : timeNs != null ? joined.segmentAt(h, id[0], timeNs)
                : joined.segment(h, id[0], (int) id[1]);
        if (s == null) {
            return PageModel.notFound(model, response, "No journey holds packet " + packet.trim() + " of host "
                    + host.trim() + (view.complete() ? "." : " yet: the journeys cover " + joined.events + " of the "
                    + view.sessionEvents() + " events the session has stored; try again in a few seconds."));
        }
        return "redirect:" + page.page() + "/journeys/" + joined.journeyOf(s).id;
    }

    private static Long epochNs(String time) {
        if (time == null || time.isBlank()) {
            return null;
        }
        try {
            Instant t = Instant.parse(time.trim());
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String shortened(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    /**
     * Where a journey page gets its data: {@code api} is the session's API base (journeys, downloads, summary),
     * {@code detail} the session's facts, {@code page} the session view's own URL (the journey pages hang below
     * it), {@code diff} the diff page; {@code journey} is the journey shown (null on the list).
     */
    record Page(long session, String state, String journey, String api, String detail, String page, String diff,
            boolean readOnly) {
        Page withState(String state) {
            return new Page(session, state, journey, api, detail, page, diff, readOnly);
        }
    }
}
