package io.skbtrail.server.security;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in form (templates/login.html); Spring Security handles the POST. */
@Controller
class LoginController {
    @GetMapping("/login")
    String login() {
        return "login";
    }
}
