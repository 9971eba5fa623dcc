package io.skbtrail.server.agents;

import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.audit.AuditLog;
import io.skbtrail.server.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Agent tokens API (admin only). The secret is in the answer to POST and nowhere else: only its SHA-256 is
 * stored. Revoking publishes {@link AgentTokenRevoked} so the agent link can disconnect agents using it.
 */
@RestController
@RequestMapping("/api/agent-tokens")
class AgentTokensController {

    /** {@code host}: the one host name the token may register, or null for a fleet token (any name). */
    record NewToken(
            @Size(min = 1, max = 253) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*",
                    message = "a host name: letters, digits, '.', '_' or '-'") String host,
            @Size(max = 500) String description) {}

    record CreatedToken(long id, String token, String scope, String host, String description, Instant createdAt) {}

    record TokenView(long id, String scope, String host, String description, String createdBy, Instant createdAt,
            Instant revokedAt, Instant lastUsedAt) {
        static TokenView of(AgentToken t) {
            return new TokenView(t.getId(), t.getScope(), t.getHostName(), t.getDescription(), t.getCreatedBy(),
                    t.getCreatedAt(), t.getRevokedAt(), t.getLastUsedAt());
        }
    }

    private final AgentTokens tokens;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;

    AgentTokensController(AgentTokens tokens, AuditLog audit, ApplicationEventPublisher events) {
        this.tokens = tokens;
        this.audit = audit;
        this.events = events;
    }

    @PostMapping
    ResponseEntity<CreatedToken> create(@Valid @RequestBody(required = false) NewToken body) {
        NewToken request = body == null ? new NewToken(null, null) : body;
        AgentTokens.Created created = tokens.create(request.host(), request.description(), CurrentUser.name());
        AgentToken token = created.token();
        audit.record(CurrentUser.name(), "agent-token.create", "agent-token/" + token.getId(),
                token.getScope().equals("fleet") ? "fleet" : "host " + token.getHostName());
        return ResponseEntity.created(URI.create("/api/agent-tokens/" + token.getId()))
                .body(new CreatedToken(token.getId(), created.secret(), token.getScope(), token.getHostName(),
                        token.getDescription(), token.getCreatedAt()));
    }

    @GetMapping
    List<TokenView> list() {
        return tokens.all().stream().map(TokenView::of).toList();
    }

    @GetMapping("/{id}")
    TokenView get(@PathVariable long id) {
        return tokens.find(id).map(TokenView::of).orElseThrow(() -> ApiProblem.notFound("agent token " + id));
    }

    /** Idempotent: revoking a revoked token answers 204 again. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable long id) {
        if (!tokens.revoke(id)) {
            throw ApiProblem.notFound("agent token " + id);
        }
        audit.record(CurrentUser.name(), "agent-token.revoke", "agent-token/" + id, null);
        events.publishEvent(new AgentTokenRevoked(id));
        return ResponseEntity.noContent().build();
    }
}
