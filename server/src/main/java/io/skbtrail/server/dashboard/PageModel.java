package io.skbtrail.server.dashboard;

import io.skbtrail.server.security.CurrentUser;
import io.skbtrail.server.security.Role;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;

/** What every page's header needs (who is looking, what their role allows), and the not-found page. */
public final class PageModel {
    public static final String SHARE_LINK_REFUSED = "This share link is unknown, revoked or expired. "
            + "Ask whoever sent it for a new one.";

    private PageModel() {}

    /** A signed-in user's page in this section of the navigation. */
    public static void signedIn(Model model, String section) {
        Role role = CurrentUser.role().orElse(Role.VIEWER);
        model.addAttribute("username", CurrentUser.name());
        model.addAttribute("role", role.id());
        model.addAttribute("canOperate", role.compareTo(Role.OPERATOR) >= 0);
        model.addAttribute("isAdmin", role == Role.ADMIN);
        model.addAttribute("section", section);
        model.addAttribute("shared", false);
    }

    /** A share link's page: no navigation, no account. */
    public static void shared(Model model) {
        model.addAttribute("shared", true);
    }

    /** The not-found page with this message, status 404. */
    public static String notFound(Model model, HttpServletResponse response, String message) {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        model.addAttribute("message", message);
        return "not-found";
    }
}
