package io.skbtrail.agent.link;

import java.util.function.LongSupplier;

/**
 * Logs failed connection attempts at a rate a person can read while the agent retries every few
 * seconds: the first failure, a failure for a new reason, and otherwise one line a minute with the count.
 */
final class AttemptLog {
    static final long QUIET_NANOS = 60_000_000_000L;

    private final AgentLog log;
    private final LongSupplier nanoClock;
    private final long quietNanos;
    private long failures;
    private long lastLogged;
    private String lastReason;

    AttemptLog(AgentLog log, LongSupplier nanoClock, long quietNanos) {
        this.log = log;
        this.nanoClock = nanoClock;
        this.quietNanos = quietNanos;
    }

    /** @return whether a line was logged */
    boolean failed(String server, String reason) {
        failures++;
        long now = nanoClock.getAsLong();
        if (failures == 1) {
            log.say("cannot connect to " + server + ": " + reason + "; retrying (tracing goes on)");
        } else if (!reason.equals(lastReason) || now - lastLogged >= quietNanos) {
            log.say("still cannot connect to " + server + " after " + failures + " attempts: " + reason);
        } else {
            return false;
        }
        lastReason = reason;
        lastLogged = now;
        return true;
    }

    /** After a successful connection: the next failure is logged at once. */
    void reset() {
        failures = 0;
        lastReason = null;
    }
}
