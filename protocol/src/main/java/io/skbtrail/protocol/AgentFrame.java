package io.skbtrail.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A control frame an agent sends to the server over the agent link (protocol {@value LinkJson#PROTOCOL}).
 * Event batches travel as {@link EventBatch} frames beside these.
 */
public sealed interface AgentFrame {

    /**
     * First frame after the WebSocket opens.
     *
     * @param protocol link protocol version; the server refuses versions it does not speak
     * @param name host name, unique among live agents
     * @param labels free-form labels the server selects hosts by
     * @param incarnation random per agent process: a new one means the agent restarted and lost what it had
     *     not sent
     * @param backend the probe backend this agent traces with
     * @param backends every backend and whether this kernel allows it (from {@code probe --json})
     * @param maxSessions how many sessions this agent traces at once
     * @param sessions sessions this incarnation is still tracing or has unsent events of (after a reconnect)
     */
    record Hello(int protocol, String name, Map<String, String> labels, String incarnation, String bootId,
            String kernel, String arch, String agentVersion, String backend, List<Backend> backends,
            int maxSessions, List<Long> sessions) implements AgentFrame {
        public Hello {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(incarnation, "incarnation");
            labels = Map.copyOf(labels);
            backends = List.copyOf(backends);
            sessions = List.copyOf(sessions);
        }
    }

    /** A backend and whether the kernel allows it; {@code reason} says why not, or is null. */
    record Backend(String name, boolean available, String reason) {}

    /** Answer to {@link ServerFrame.Ping}: {@code agentTime} is the agent's wall clock when the ping arrived. */
    record Pong(long id, Instant agentTime) implements AgentFrame {}

    /** Sent every second: what each session on this agent has done so far. */
    record Heartbeat(Instant time, List<SessionStatus> sessions, long bufferedEvents, long bufferLost)
            implements AgentFrame {
        public Heartbeat {
            sessions = List.copyOf(sessions);
        }
    }

    /**
     * One session's counters on this agent.
     *
     * @param state {@code arming}, {@code armed}, {@code tracing}, {@code done}
     * @param matched events that passed the in-kernel filters
     * @param sent events put in batches
     * @param lost events lost, per hop (kernel hops and {@code agent_buffer})
     */
    record SessionStatus(long session, String state, long matched, long sent, Map<String, Long> lost) {
        public SessionStatus {
            lost = Map.copyOf(lost);
        }
    }

    /** Probes attached and filter loaded for {@code session}; tracing begins at {@link ServerFrame.Start}. */
    record Armed(long session, String backend, int probes, List<String> notTraced) implements AgentFrame {
        public Armed {
            notTraced = List.copyOf(notTraced);
        }
    }

    /** The agent could not arm {@code session}: the reason is for the user (verifier, filter size, interface). */
    record ArmFailed(long session, String reason) implements AgentFrame {}
}
