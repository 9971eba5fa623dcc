package io.skbtrail.server.dashboard;

import io.skbtrail.server.security.CurrentUser;
import io.skbtrail.server.security.Role;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;

/** What every dashboard page's template needs from its controller, whichever feature owns the page. */
public final class PageModel {
    /** The words of the not-found page for a share link that no longer opens anything. */
    public static final String SHARE_REFUSED = "This share link is unknown, revoked or expired. "
            + "Ask whoever sent it for a new one.";

    private PageModel() {}

    /** Who is looking and which controls their role allows; {@code section} is the navigation entry to mark. */
    public static void signedIn(Model model, String section) {
        Role role = CurrentUser.role().orElse(Role.VIEWER);
        model.addAttribute("username", CurrentUser.name());
        model.addAttribute("role", role.id());
        model.addAttribute("canOperate", role.compareTo(Role.OPERATOR) >= 0);
        model.addAttribute("isAdmin", role == Role.ADMIN);
        model.addAttribute("section", section);
        model.addAttribute("shared", false);
    }

    /** A page seen through a share link: no navigation, no user. */
    public static void shared(Model model) {
        model.addAttribute("shared", true);
    }

    /** The not-found page (status 404) with what the user should know. */
    public static String notFound(Model model, HttpServletResponse response, String message) {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        model.addAttribute("message", message);
        return "not-found";
    }
}
