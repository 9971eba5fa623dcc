package io.skbtrail.server.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 on /api/** (and for failed HTTP Basic anywhere) as problem+json.
 *
 * <p>The {@code WWW-Authenticate: Basic} challenge, which makes browsers pop up their login dialog, is sent
 * only when the request may come from a script or from a person typing the URL. It is left out when
 * <ul>
 *   <li>the request says {@code X-Requested-With: XMLHttpRequest}, or</li>
 *   <li>a browser marks it as made by a page, not a navigation ({@code Sec-Fetch-Mode} present and not
 *       {@code navigate}: fetch(), XHR, WebSocket), or</li>
 *   <li>it accepts JSON explicitly ({@code Accept} names {@code application/json} or
 *       {@code application/problem+json}) and is not a browser navigation.</li>
 * </ul>
 * Scripts never need the challenge anyway: {@code curl -u user:pass} sends credentials up front.
 */
public class ApiAuthenticationEntryPoint implements AuthenticationEntryPoint {
    static final String REALM = "skbtrail";

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (wantsChallenge(request)) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        }
        ProblemWriter.write(request, response, HttpStatus.UNAUTHORIZED, detail(failure));
    }

    static boolean wantsChallenge(HttpServletRequest request) {
        if ("XMLHttpRequest".equalsIgnoreCase(request.getHeader("X-Requested-With"))) {
            return false;
        }
        String fetchMode = request.getHeader("Sec-Fetch-Mode");
        boolean navigation = fetchMode == null || fetchMode.equalsIgnoreCase("navigate");
        if (!navigation) {
            return false;
        }
        String accept = request.getHeader("Accept");
        boolean acceptsJson = accept != null
                && (accept.contains("application/json") || accept.contains("application/problem+json"));
        boolean browserNavigation = fetchMode != null;
        return !(acceptsJson && !browserNavigation);
    }

    private static String detail(AuthenticationException failure) {
        if (failure instanceof BadCredentialsException) {
            return "wrong user name or password";
        }
        if (failure instanceof DisabledException) {
            return "this user is disabled";
        }
        return "authentication required: HTTP Basic (curl -u USER ...) or sign in at /login";
    }
}
