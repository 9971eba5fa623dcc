package io.skbtrail.agent.link;

import java.io.PrintStream;

/** Lines on stderr in the CLI's style: {@code skbtrail-agent: …}. Thread-safe. */
public final class AgentLog {
    private final PrintStream err;

    public AgentLog(PrintStream err) {
        this.err = err;
    }

    public void say(String message) {
        err.println("skbtrail-agent: " + message);
    }

    PrintStream stream() {
        return err;
    }
}
