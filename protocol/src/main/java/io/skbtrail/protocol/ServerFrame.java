package io.skbtrail.protocol;

import java.time.Instant;
import java.util.Map;

/** A frame the server sends to an agent over the agent link. */
public sealed interface ServerFrame {

    /**
     * Answer to {@link AgentFrame.Hello}.
     *
     * @param host the server's id of this host
     * @param ackedSeq the highest event batch {@code seq} of this incarnation the server has stored (0 when
     *     none): the agent resends what follows and forgets the rest
     */
    record Welcome(long host, long ackedSeq, int heartbeatMillis) implements ServerFrame {}

    /** The server refuses the agent (duplicate name, protocol version) and closes the link. */
    record Reject(String reason) implements ServerFrame {}

    /** Clock probe: the agent answers with {@link AgentFrame.Pong} at once. */
    record Ping(long id) implements ServerFrame {}

    /** Every event batch up to and including {@code seq} is stored. */
    record Ack(long seq) implements ServerFrame {}

    /**
     * Attach probes and load the filter for a session, then wait for {@link Start}.
     *
     * @param filter pcap-filter expression, empty for all packets
     * @param options CLI flag names without {@code --} to their values ({@code "true"} for switches), only
     *     those in {@link SessionOptions}
     * @param maxEvents the agent ends the session on its own after this many events (0: no limit)
     * @param deadline the agent ends the session on its own at this time, server or no server (null: none)
     */
    record Arm(long session, String filter, Map<String, String> options, long maxEvents, Instant deadline)
            implements ServerFrame {
        public Arm {
            options = Map.copyOf(options);
        }
    }

    /** Begin tracing an armed session. */
    record Start(long session) implements ServerFrame {}

    /** End a session: stop tracing, send what is left with the summary, detach. */
    record Stop(long session) implements ServerFrame {}

    /** Change a running session's in-kernel settings that need no reload (netns, mark, interface). */
    record Update(long session, Map<String, String> options) implements ServerFrame {
        public Update {
            options = Map.copyOf(options);
        }
    }
}
