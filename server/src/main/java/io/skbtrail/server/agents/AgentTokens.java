package io.skbtrail.server.agents;

import io.skbtrail.server.security.Secrets;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, checks and revokes agent tokens. */
@Service
public class AgentTokens {

    /** Spring Data repository of tokens. */
    public interface Repository extends JpaRepository<AgentToken, Long> {
        Optional<AgentToken> findByTokenHash(String tokenHash);

        List<AgentToken> findAllByOrderByIdAsc();
    }

    /** A token just made: the secret is shown once and never stored. */
    public record Created(AgentToken token, String secret) {}

    private final Repository tokens;

    AgentTokens(Repository tokens) {
        this.tokens = tokens;
    }

    /** @param hostName the one host the token is for, or null for a fleet token */
    @Transactional
    public Created create(String hostName, String description, String createdBy) {
        String secret = "skbt_" + Secrets.random();
        AgentToken token = tokens.save(new AgentToken(Secrets.sha256(secret),
                hostName == null ? "fleet" : "host", hostName, description, createdBy));
        return new Created(token, secret);
    }

    /** The live (not revoked) token with this secret. */
    @Transactional
    public Optional<AgentToken> authenticate(String secret) {
        if (secret == null || secret.isBlank() || secret.length() > 200) {
            return Optional.empty();
        }
        Optional<AgentToken> token = tokens.findByTokenHash(Secrets.sha256(secret)).filter(t -> !t.isRevoked());
        token.ifPresent(AgentToken::used);
        return token;
    }

    @Transactional(readOnly = true)
    public Optional<AgentToken> find(long id) {
        return tokens.findById(id);
    }

    @Transactional(readOnly = true)
    public List<AgentToken> all() {
        return tokens.findAllByOrderByIdAsc();
    }

    /** Revokes the token; agents using it are disconnected by the caller. @return false if no such token */
    @Transactional
    public boolean revoke(long id) {
        Optional<AgentToken> token = tokens.findById(id);
        token.ifPresent(AgentToken::revoke);
        return token.isPresent();
    }
}
