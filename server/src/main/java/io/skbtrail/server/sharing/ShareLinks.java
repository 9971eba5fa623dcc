package io.skbtrail.server.sharing;

import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.audit.AuditLog;
import io.skbtrail.server.security.Secrets;
import io.skbtrail.server.sessions.TraceSession;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, resolves and revokes share links (audited). */
@Service
public class ShareLinks {
    /** Tokens of share links start with this, so a leaked one is recognisable (and never an agent token). */
    static final String PREFIX = "skbs_";

    /** Spring Data repository of share links. */
    public interface Repository extends JpaRepository<ShareLink, Long> {
        Optional<ShareLink> findByTokenHash(String tokenHash);
    }

    /** A link just made: the secret goes into the URL and is never stored. */
    public record Created(ShareLink link, String secret) {}

    private final Repository links;
    private final EntityManager entityManager;
    private final AuditLog audit;

    ShareLinks(Repository links, EntityManager entityManager, AuditLog audit) {
        this.links = links;
        this.entityManager = entityManager;
        this.audit = audit;
    }

    /**
     * @param expiresAt null: valid until revoked (or the session is deleted)
     * @throws ApiProblem 404 if the session does not exist
     */
    @Transactional
    public Created create(long sessionId, Instant expiresAt, String createdBy) {
        if (entityManager.find(TraceSession.class, sessionId) == null) {
            throw ApiProblem.notFound("session " + sessionId);
        }
        String secret = PREFIX + Secrets.random();
        ShareLink link = links.save(new ShareLink(Secrets.sha256(secret), sessionId, expiresAt, createdBy));
        audit.record(createdBy, "share.create", "session/" + sessionId,
                "share link " + link.getId() + (expiresAt == null ? ", no expiry" : ", expires " + expiresAt));
        return new Created(link, secret);
    }

    /** The session a valid (not revoked, not expired) link gives access to. */
    @Transactional(readOnly = true)
    public Optional<Long> resolve(String secret) {
        return find(secret).filter(link -> link.isValidAt(Instant.now())).map(ShareLink::getSessionId);
    }

    /** @return false if no link has this token */
    @Transactional
    public boolean revoke(String secret, String actor) {
        Optional<ShareLink> link = find(secret);
        link.ifPresent(l -> {
            l.revoke();
            audit.record(actor, "share.revoke", "session/" + l.getSessionId(), "share link " + l.getId());
        });
        return link.isPresent();
    }

    private Optional<ShareLink> find(String secret) {
        if (secret == null || secret.isBlank() || secret.length() > 200) {
            return Optional.empty();
        }
        return links.findByTokenHash(Secrets.sha256(secret));
    }
}
