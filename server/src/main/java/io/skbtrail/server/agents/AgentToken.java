package io.skbtrail.server.agents;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A secret an agent presents to connect. Scope {@code host}: only the named host may use it; scope
 * {@code fleet}: any host name. Only the SHA-256 of the token is stored.
 */
@Entity
@Table(name = "agent_tokens")
public class AgentToken {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "token_hash")
    private String tokenHash;
    private String scope;
    @Column(name = "host_name")
    private String hostName;
    private String description;
    @Column(name = "created_by")
    private String createdBy;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "revoked_at")
    private Instant revokedAt;
    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    protected AgentToken() {}

    AgentToken(String tokenHash, String scope, String hostName, String description, String createdBy) {
        this.tokenHash = tokenHash;
        this.scope = scope;
        this.hostName = hostName;
        this.description = description;
        this.createdBy = createdBy;
        this.createdAt = Instant.now();
    }

    /** Whether an agent presenting this token may call itself {@code name}. */
    public boolean allowsHost(String name) {
        return scope.equals("fleet") || hostName.equals(name);
    }

    void revoke() {
        revokedAt = Instant.now();
    }

    void used() {
        lastUsedAt = Instant.now();
    }

    public Long getId() { return id; }
    public String getScope() { return scope; }
    public String getHostName() { return hostName; }
    public String getDescription() { return description; }
    public String getCreatedBy() { return createdBy; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getRevokedAt() { return revokedAt; }
    public Instant getLastUsedAt() { return lastUsedAt; }
    public boolean isRevoked() { return revokedAt != null; }
}
