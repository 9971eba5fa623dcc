package io.skbtrail.server.agents;

/**
 * Published (Spring application event) when an admin revokes an agent token, after the revocation is
 * committed. The agent link listens ({@code @EventListener}) and closes the connections of agents that
 * authenticated with this token.
 */
public record AgentTokenRevoked(long tokenId) {}
