package io.skbtrail.server.agents;

import io.skbtrail.protocol.AgentFrame;

/** What the agent link tells the session coordinator. Called on the link's thread, one frame at a time. */
public interface AgentEvents {

    /**
     * An agent said hello and was welcomed.
     *
     * @param restarted the host's previous agent process was another incarnation (its unsent events are lost)
     */
    void connected(AgentConnection agent, boolean restarted);

    void disconnected(AgentConnection agent);

    void armed(AgentConnection agent, AgentFrame.Armed armed);

    void armFailed(AgentConnection agent, AgentFrame.ArmFailed failed);

    /** A batch ended a session on the agent ({@code end}: stopped, limit, deadline, failed). */
    void ended(AgentConnection agent, long session, String end);
}
