package io.skbtrail.agent.link;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.LinkJson;
import java.util.List;
import java.util.Map;

/**
 * What the agent tells the server about itself in each hello.
 *
 * @param incarnation random per agent run, fixed for its life: batch seqs count within it, so a new one
 *     tells the server the agent restarted (and lost what it had not sent)
 * @param backend the backend sessions are armed with
 * @param backends every backend and whether this kernel allows it
 * @param maxSessions sessions armed at once at most
 */
public record HostIdentity(String name, Map<String, String> labels, String incarnation, String bootId,
        String kernel, String arch, String agentVersion, String backend, List<AgentFrame.Backend> backends,
        int maxSessions) {

    public HostIdentity {
        labels = Map.copyOf(labels);
        backends = List.copyOf(backends);
    }

    /** The hello, with the sessions this incarnation still traces or has unacknowledged batches of. */
    public AgentFrame.Hello hello(List<Long> sessions) {
        return new AgentFrame.Hello(LinkJson.PROTOCOL, name, labels, incarnation, bootId, kernel, arch, agentVersion,
                backend, backends, maxSessions, sessions);
    }
}
