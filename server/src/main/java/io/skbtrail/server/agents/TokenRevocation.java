package io.skbtrail.server.agents;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/** Disconnects the agents that authenticated with a token an admin just revoked; they cannot reconnect with it. */
@Component
class TokenRevocation {
    private static final Logger log = LoggerFactory.getLogger(TokenRevocation.class);

    private final AgentRegistry agents;

    TokenRevocation(AgentRegistry agents) {
        this.agents = agents;
    }

    @EventListener
    void revoked(AgentTokenRevoked event) {
        for (AgentConnection agent : agents.all()) {
            if (agent.tokenId() == event.tokenId()) {
                log.warn("agent {}: its token {} was revoked; closing the link", agent.name(), event.tokenId());
                agent.close(CloseStatus.POLICY_VIOLATION.withReason("agent token revoked"));
            }
        }
    }
}
