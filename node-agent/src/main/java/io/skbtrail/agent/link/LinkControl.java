package io.skbtrail.agent.link;

import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.ServerFrame;

/** What a server frame may do to the connection it came on (see {@link FrameDispatcher}). */
interface LinkControl {

    /** Sends a control frame on this connection, ahead of event batches. */
    void send(AgentFrame frame);

    /** Whether this connection's welcome has come. */
    boolean welcomed();

    /** The server accepted this agent: batch sending, heartbeats and held replies begin. */
    void welcome(ServerFrame.Welcome welcome);

    /** The server refused this agent: the agent exits. */
    void reject(String reason);

    /** Closes this connection (the agent reconnects). */
    void close(int code, String reason);

    /** The highest batch seq sent, or being sent, on this connection. */
    long sentSeq();
}
