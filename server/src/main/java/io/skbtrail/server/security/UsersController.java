package io.skbtrail.server.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Users API (admin only, see {@link SecurityConfig}); every change is audited by {@link UserAccounts}. */
@RestController
@RequestMapping("/api/users")
class UsersController {
    static final String USERNAME = "[A-Za-z0-9][A-Za-z0-9._@-]{0,63}";
    static final String ROLE = "viewer|operator|admin";

    record NewUser(
            @NotBlank @Pattern(regexp = USERNAME, message = "1-64 letters, digits, '.', '_', '@' or '-'") String username,
            @NotNull String password,
            @NotNull @Pattern(regexp = ROLE, message = "one of viewer, operator, admin") String role) {}

    record UserChange(
            @Pattern(regexp = ROLE, message = "one of viewer, operator, admin") String role,
            String password,
            Boolean enabled) {}

    record UserView(String username, String role, boolean enabled, Instant createdAt) {
        static UserView of(UserAccount user) {
            return new UserView(user.getUsername(), user.getRole().id(), user.isEnabled(), user.getCreatedAt());
        }
    }

    private final UserAccounts users;

    UsersController(UserAccounts users) {
        this.users = users;
    }

    @GetMapping
    List<UserView> list() {
        return users.all().stream().map(UserView::of).toList();
    }

    @PostMapping
    ResponseEntity<UserView> create(@Valid @RequestBody NewUser body) {
        UserAccount user = users.create(body.username(), body.password(), Role.parse(body.role()).orElseThrow(),
                CurrentUser.name());
        return ResponseEntity.created(URI.create("/api/users/" + user.getUsername())).body(UserView.of(user));
    }

    @PutMapping("/{username}")
    UserView update(@PathVariable String username, @Valid @RequestBody UserChange body) {
        Role role = body.role() == null ? null : Role.parse(body.role()).orElseThrow();
        return UserView.of(users.update(username,
                new UserAccounts.Change(role, body.password(), body.enabled()), CurrentUser.name()));
    }

    @DeleteMapping("/{username}")
    ResponseEntity<Void> delete(@PathVariable String username) {
        users.delete(username, CurrentUser.name());
        return ResponseEntity.noContent().build();
    }
}
