package io.skbtrail.agent.cli;

import sun.misc.Signal;

/**
 * SIGINT and SIGTERM, handled from the start: during a long attach they cancel it (everything
 * attached is detached), while tracing they end the trace loop.
 */
public final class StopSignal {
    private volatile boolean requested;
    private volatile Runnable onStop = () -> { };

    /** A stop signal triggered only by {@link #request()}. */
    public StopSignal() {}

    static StopSignal install() {
        StopSignal stop = new StopSignal();
        Signal.handle(new Signal("INT"), s -> stop.request());
        Signal.handle(new Signal("TERM"), s -> stop.request());
        return stop;
    }

    boolean requested() {
        return requested;
    }

    /** Runs {@code action} on a stop request (at once if one came already). */
    void onStop(Runnable action) {
        onStop = action;
        if (requested) {
            action.run();
        }
    }

    /** Stops the trace (or the attach in progress). */
    public void request() {
        requested = true;
        onStop.run();
    }
}
