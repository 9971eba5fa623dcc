package io.skbtrail.agent.cli;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Progress of long steps on stderr. On a terminal, running counts ("attaching kprobes: 812/1532")
 * overwrite one line; elsewhere they are printed at most every 5 s. Other messages are printed only
 * with --debug, with the time since the JVM started.
 */
final class ProgressPrinter implements Consumer<String> {
    private static final long QUIET_NS = 5_000_000_000L;
    private final PrintStream err;
    private final boolean terminal = System.console() != null;
    private final boolean debug;
    private long lastRunning;
    private boolean lineOpen;

    ProgressPrinter(PrintStream err, boolean debug) {
        this.err = err;
        this.debug = debug;
    }

    @Override
    public synchronized void accept(String message) {
        boolean running = message.startsWith("attaching ") || message.startsWith("releasing ");
        boolean milestone = message.startsWith("attached ") && message.contains(" in ");
        if (running) {
            if (terminal) {
                err.print("\r\033[Kskbtrail-agent: " + message);
                lineOpen = true;
                return;
            }
            long now = System.nanoTime();
            if (now - lastRunning < QUIET_NS) {
                return;
            }
            lastRunning = now;
        } else if (!milestone && !debug) {
            return;
        }
        if (lineOpen) {
            err.print("\r\033[K");
            lineOpen = false;
        }
        err.printf("skbtrail-agent: %s%s%n", message, debug
                ? String.format(" (%d ms)", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()) : "");
    }

    /** Ends an open progress line. */
    synchronized void done() {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
    }
}
