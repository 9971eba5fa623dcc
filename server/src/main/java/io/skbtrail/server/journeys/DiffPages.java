package io.skbtrail.server.journeys;

import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.dashboard.PageModel;
import io.skbtrail.server.sessions.SessionService;
import io.skbtrail.server.sharing.SharedSessionAccess;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The diff page ({@code web/templates/diff.html}, filled by {@code js/diff.js} from {@code /api/diff}): two sides
 * chosen in a form and carried in the URL ({@code ?left=&right=}). Through a share link the same page compares
 * only within the link's session, read-only, and is refused like {@code /s/{token}} once the link is revoked.
 */
@Controller
class DiffPages {
    private final SharedSessionAccess shared;
    private final SessionService sessions;

    DiffPages(SharedSessionAccess shared, SessionService sessions) {
        this.shared = shared;
        this.sessions = sessions;
    }

    /**
     * Where the page gets its data. {@code sessions} lists the sessions to choose from (null: only
     * {@code onlySession}); {@code session} + id gives one session's hosts; {@code sessionPage} + id (or the share
     * page itself) is where a side's session opens.
     */
    record DiffPage(String diff, String sessions, String session, Long onlySession, String page, String sessionPage) {}

    @GetMapping("/diff")
    String diff(Model model) {
        PageModel.signedIn(model, "diff");
        model.addAttribute("view", new DiffPage("/api/diff", "/api/sessions", "/api/sessions/", null, "/diff",
                "/sessions/"));
        return "diff";
    }

    @GetMapping("/s/{token}/diff")
    String sharedDiff(@PathVariable String token, Model model, HttpServletResponse response) {
        PageModel.shared(model);
        long id;
        try {
            id = shared.sessionId(token);
            sessions.get(id);
        } catch (ApiProblem refused) {
            return PageModel.notFound(model, response, PageModel.SHARE_LINK_REFUSED);
        }
        String api = "/api/shared/" + token;
        model.addAttribute("view", new DiffPage(api + "/diff", null, api + "/session", id, "/s/" + token + "/diff",
                "/s/" + token));
        return "diff";
    }
}
