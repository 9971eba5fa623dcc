package io.skbtrail.server.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/** 403 on /api/** as problem+json: a role too low for the endpoint, or a missing CSRF token. */
public class ApiAccessDeniedHandler implements AccessDeniedHandler {

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        String detail;
        if (denied instanceof CsrfException) {
            detail = "missing or invalid CSRF token: a browser session must send the X-XSRF-TOKEN header "
                    + "(value of the XSRF-TOKEN cookie); scripts use HTTP Basic, which needs no token";
        } else {
            String role = CurrentUser.role().map(Role::id).orElse("anonymous");
            detail = "the role " + role + " may not " + request.getMethod() + " " + request.getRequestURI();
        }
        ProblemWriter.write(request, response, HttpStatus.FORBIDDEN, detail);
    }
}
