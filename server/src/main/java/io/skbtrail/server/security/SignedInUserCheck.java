package io.skbtrail.server.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a browser session whose user was deleted, disabled or given another role since signing in: the
 * request then counts as not signed in (401 on /api, the login page elsewhere). HTTP Basic requests need
 * no such check: their password is verified on every request.
 */
class SignedInUserCheck extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(SignedInUserCheck.class);

    private final UserAccounts users;

    SignedInUserCheck(UserAccounts users) {
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        HttpSession session = request.getSession(false);
        if (authentication instanceof UsernamePasswordAuthenticationToken && session != null
                && request.getHeader("Authorization") == null) {
            String authority = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                    .findFirst().orElse("");
            if (!users.isCurrent(authentication.getName(), authority)) {
                log.info("ending the session of {}: the user was deleted, disabled or changed role", authentication.getName());
                session.invalidate();
                SecurityContextHolder.clearContext();
            }
        }
        chain.doFilter(request, response);
    }
}
