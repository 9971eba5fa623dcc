package io.skbtrail.server.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user may do. Each role includes the ones before it (see {@link SecurityConfig#roleHierarchy()}):
 * a viewer reads; an operator also starts, stops and shares sessions; an admin also manages agent tokens,
 * users and retention, deletes sessions and reads the audit log.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    /** As stored in {@code users.role} and written in the API: {@code viewer}, {@code operator}, {@code admin}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Spring Security authority, {@code ROLE_ADMIN} etc. */
    public String authority() {
        return "ROLE_" + name();
    }

    public static Optional<Role> parse(String id) {
        for (Role role : values()) {
            if (role.id().equals(id)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
