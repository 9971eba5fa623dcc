package io.skbtrail.agent.link;

import io.skbtrail.protocol.AgentFrame;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * What every session of an agent shares: the session runner's uplink ({@code replies} for
 * {@link AgentFrame.Armed}/{@link AgentFrame.ArmFailed}, {@code outbox} for sealed batches) and the
 * agent's settings.
 *
 * @param agentScope the agent's own {@code --filter-netns/--filter-ifname}
 * @param agentArgs {@code trace} flags the agent adds to every session
 * @param inodeOf nsfs inode of a netns spec ({@link SessionArgs#NSFS_INODES})
 * @param batchEvents records per batch at most
 * @param batchMillis a batch is sealed this long after its first record
 * @param scheduler runs deadlines
 * @param updates applies {@code update} frames, one at a time (an interface lookup may take a moment)
 */
public record SessionContext(SessionArmer armer, FilterScope agentScope, List<String> agentArgs,
        ToLongFunction<String> inodeOf, int batchEvents, int batchMillis, Outbox outbox,
        Consumer<AgentFrame> replies, ScheduledExecutorService scheduler, Executor updates, AgentLog log) {
    public SessionContext {
        agentArgs = List.copyOf(agentArgs);
    }
}
