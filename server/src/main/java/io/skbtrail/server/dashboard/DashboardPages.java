package io.skbtrail.server.dashboard;

import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.sessions.SessionService;
import io.skbtrail.server.sharing.SharedSessionAccess;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The dashboard's pages (templates in {@code web/templates}). Each page is a frame that its script module fills
 * from the REST API and the live stream; the server only says who is looking and what they may do, so a page
 * shows only the controls the user's role allows. A share link's page is the session view, read-only, fed from
 * {@code /api/shared/{token}/…}.
 */
@Controller
class DashboardPages {
    private final SessionService sessions;
    private final SharedSessionAccess shared;

    DashboardPages(SessionService sessions, SharedSessionAccess shared) {
        this.sessions = sessions;
        this.shared = shared;
    }

    @GetMapping("/")
    String hosts(Model model) {
        PageModel.signedIn(model, "hosts");
        return "hosts";
    }

    @GetMapping("/sessions")
    String sessionList(Model model) {
        PageModel.signedIn(model, "sessions");
        return "sessions";
    }

    /** Operators only (security config): a viewer who follows the link gets 403. */
    @GetMapping("/sessions/new")
    String newSession(Model model) {
        PageModel.signedIn(model, "new");
        return "new-session";
    }

    @GetMapping("/sessions/{id}")
    String session(@PathVariable long id, Model model, HttpServletResponse response) {
        PageModel.signedIn(model, "sessions");
        String state;
        try {
            state = sessions.get(id).getState();
        } catch (ApiProblem missing) {
            return PageModel.notFound(model, response, "Session " + id + " does not exist (it may have been deleted).");
        }
        String api = "/api/sessions/" + id;
        model.addAttribute("view", new SessionPage(id, state, api, api, api + "/summary", api + "/events",
                api + "/live", "/sessions/" + id, false));
        return "session";
    }

    /** A share link: the same view without login, read-only; refused once revoked or expired. */
    @GetMapping("/s/{token}")
    String sharedSession(@PathVariable String token, Model model, HttpServletResponse response) {
        PageModel.shared(model);
        long id;
        try {
            id = shared.sessionId(token);
        } catch (ApiProblem refused) {
            return PageModel.notFound(model, response, PageModel.SHARE_LINK_REFUSED);
        }
        String state;
        try {
            state = sessions.get(id).getState();
        } catch (ApiProblem deleted) {
            return PageModel.notFound(model, response, PageModel.SHARE_LINK_REFUSED);
        }
        String api = "/api/shared/" + token;
        model.addAttribute("view", new SessionPage(id, state, api, api + "/session", api + "/summary", api + "/events",
                api + "/live", "/s/" + token, true));
        return "session";
    }

    /**
     * Where one session view gets its data. {@code state} is the session's when the page was made: a view of a
     * session that no longer runs asks for its first events page at once, alongside its facts. {@code api} is
     * the base of the downloads ({@code api + "/events.csv"}); {@code page} is the view's own URL, which the
     * view's query parameters are added to.
     */
    record SessionPage(long id, String state, String api, String detail, String summary, String events, String live, String page,
            boolean readOnly) {}
}
