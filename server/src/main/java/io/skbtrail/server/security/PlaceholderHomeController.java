package io.skbtrail.server.security;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The page after sign-in until the dashboard exists (templates/index.html). Replace it with the dashboard. */
@Controller
class PlaceholderHomeController {
    @GetMapping("/")
    String home(Model model) {
        model.addAttribute("username", CurrentUser.name());
        return "index";
    }
}
