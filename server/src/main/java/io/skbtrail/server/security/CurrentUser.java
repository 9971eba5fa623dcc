package io.skbtrail.server.security;

import java.util.Optional;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who makes the current request, for the audit log and {@code created_by} columns:
 * {@code auditLog.record(CurrentUser.name(), "session.start", "session/" + id, filter)}.
 * Outside a signed-in request (scheduled jobs, the agent link, share links) it is {@code system}; pass a
 * more precise actor yourself there (e.g. {@code share:<id>}).
 */
public final class CurrentUser {
    public static final String SYSTEM = "system";

    private CurrentUser() {}

    /** The signed-in user's name, or {@value #SYSTEM}. */
    public static String name() {
        return authentication().map(Authentication::getName).orElse(SYSTEM);
    }

    /** The signed-in user's role (the highest granted), if any. */
    public static Optional<Role> role() {
        Optional<Role> best = Optional.empty();
        for (GrantedAuthority authority : authentication().map(Authentication::getAuthorities).orElse(java.util.List.of())) {
            for (Role role : Role.values()) {
                if (role.authority().equals(authority.getAuthority())
                        && (best.isEmpty() || role.compareTo(best.get()) > 0)) {
                    best = Optional.of(role);
                }
            }
        }
        return best;
    }

    private static Optional<Authentication> authentication() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return Optional.empty();
        }
        return Optional.of(authentication);
    }
}
