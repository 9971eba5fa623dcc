package io.skbtrail.server.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A person (or script) that signs in to the server; the password is stored as a BCrypt hash. */
@Entity
@Table(name = "users")
public class UserAccount {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private String username;
    @Column(name = "password_hash")
    private String passwordHash;
    private String role;
    private boolean enabled = true;
    @Column(name = "created_at")
    private Instant createdAt;

    protected UserAccount() {}

    UserAccount(String username, String passwordHash, Role role) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.role = role.id();
        this.createdAt = Instant.now();
    }

    public Long getId() { return id; }
    public String getUsername() { return username; }
    String getPasswordHash() { return passwordHash; }
    public Role getRole() { return Role.parse(role).orElseThrow(); }
    public boolean isEnabled() { return enabled; }
    public Instant getCreatedAt() { return createdAt; }

    void setPasswordHash(String passwordHash) { this.passwordHash = passwordHash; }
    void setRole(Role role) { this.role = role.id(); }
    void setEnabled(boolean enabled) { this.enabled = enabled; }
}
