package io.skbtrail.server.security;

import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.audit.AuditLog;
import jakarta.persistence.LockModeType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The users who sign in: lookup for Spring Security, and the admin's changes (each audited). There is
 * always at least one enabled admin: deleting, demoting or disabling the last one is refused (409).
 */
@Service
public class UserAccounts implements UserDetailsService {
    /** BCrypt uses at most 72 bytes of a password; longer ones are refused rather than cut. */
    static final int MAX_PASSWORD_BYTES = 72;
    static final int MIN_PASSWORD_LENGTH = 8;

    /** Spring Data repository of users. */
    public interface Repository extends JpaRepository<UserAccount, Long> {
        Optional<UserAccount> findByUsername(String username);

        List<UserAccount> findAllByOrderByUsernameAsc();

        /** Locks the enabled admins, so two concurrent changes cannot both remove "the other" last admin. */
        @Lock(LockModeType.PESSIMISTIC_WRITE)
        List<UserAccount> findAllByRoleAndEnabledTrue(String role);
    }

    /** A change to a user; null fields stay as they are. */
    public record Change(Role role, String password, Boolean enabled) {}

    private final Repository users;
    private final PasswordEncoder passwords;
    private final AuditLog audit;

    UserAccounts(Repository users, PasswordEncoder passwords, AuditLog audit) {
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        UserAccount user = users.findByUsername(username)
                .orElseThrow(() -> new UsernameNotFoundException("no user " + username));
        return User.withUsername(user.getUsername())
                .password(user.getPasswordHash())
                .authorities(user.getRole().authority())
                .disabled(!user.isEnabled())
                .build();
    }

    @Transactional(readOnly = true)
    public List<UserAccount> all() {
        return users.findAllByOrderByUsernameAsc();
    }

    /** Whether the user still exists, is enabled and still has the role given by this authority. */
    @Transactional(readOnly = true)
    public boolean isCurrent(String username, String authority) {
        return users.findByUsername(username)
                .filter(u -> u.isEnabled() && u.getRole().authority().equals(authority)).isPresent();
    }

    @Transactional(readOnly = true)
    public boolean none() {
        return users.count() == 0;
    }

    @Transactional
    public UserAccount create(String username, String password, Role role, String actor) {
        checkPassword(password);
        if (users.findByUsername(username).isPresent()) {
            throw ApiProblem.conflict("user " + username + " already exists");
        }
        UserAccount user = users.save(new UserAccount(username, passwords.encode(password), role));
        audit.record(actor, "user.create", "user/" + username, "role " + role.id());
        return user;
    }

    @Transactional
    public UserAccount update(String username, Change change, String actor) {
        UserAccount user = find(username);
        List<String> changed = new ArrayList<>();
        boolean losesAdmin = user.getRole() == Role.ADMIN && user.isEnabled()
                && ((change.role() != null && change.role() != Role.ADMIN)
                        || (change.enabled() != null && !change.enabled()));
        if (losesAdmin) {
            refuseIfLastAdmin(user, "demote or disable");
        }
        if (change.role() != null && change.role() != user.getRole()) {
            changed.add("role " + user.getRole().id() + " -> " + change.role().id());
            user.setRole(change.role());
        }
        if (change.password() != null) {
            checkPassword(change.password());
            user.setPasswordHash(passwords.encode(change.password()));
            changed.add("password changed");
        }
        if (change.enabled() != null && change.enabled() != user.isEnabled()) {
            changed.add(change.enabled() ? "enabled" : "disabled");
            user.setEnabled(change.enabled());
        }
        if (!changed.isEmpty()) {
            audit.record(actor, "user.update", "user/" + username, String.join(", ", changed));
        }
        return user;
    }

    @Transactional
    public void delete(String username, String actor) {
        UserAccount user = find(username);
        if (user.getRole() == Role.ADMIN && user.isEnabled()) {
            refuseIfLastAdmin(user, "delete");
        }
        users.delete(user);
        audit.record(actor, "user.delete", "user/" + username, null);
    }

    /** The first start: the one admin, before anyone can sign in. */
    @Transactional
    void createFirstAdmin(String username, String password) {
        users.save(new UserAccount(username, passwords.encode(password), Role.ADMIN));
        audit.record(CurrentUser.SYSTEM, "user.create", "user/" + username, "first start: role admin");
    }

    private UserAccount find(String username) {
        return users.findByUsername(username).orElseThrow(() -> ApiProblem.notFound("user " + username));
    }

    private void refuseIfLastAdmin(UserAccount user, String verb) {
        List<UserAccount> admins = users.findAllByRoleAndEnabledTrue(Role.ADMIN.id());
        boolean anotherAdmin = admins.stream().anyMatch(a -> !a.getId().equals(user.getId()));
        if (!anotherAdmin) {
            throw ApiProblem.conflict("cannot " + verb + " " + user.getUsername()
                    + ": it is the last enabled admin (make another user admin first)");
        }
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw ApiProblem.badRequest("the password is too short",
                    List.of(new ApiProblem.FieldError("password", "at least " + MIN_PASSWORD_LENGTH + " characters")));
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw ApiProblem.badRequest("the password is too long",
                    List.of(new ApiProblem.FieldError("password", "at most " + MAX_PASSWORD_BYTES + " bytes (UTF-8)")));
        }
    }
}
