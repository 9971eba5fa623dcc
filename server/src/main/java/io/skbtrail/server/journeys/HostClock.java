package io.skbtrail.server.journeys;

/**
 * One host of a session and what is known of its clock: its wall clock minus the server's, within
 * ± {@code uncertaintyNs} (null: never measured, its times are taken as they are).
 *
 * @param backend the probe backend the host traced the session with (tracepoint, kprobe, kprobe_multi), or null
 */
record HostClock(long hostId, String name, long offsetNs, Long uncertaintyNs, String backend) {

    /** A bound used where no estimate exists: one second either way. */
    static final long UNKNOWN_UNCERTAINTY_NS = 1_000_000_000L;

    long uncertaintyOrUnknown() {
        return uncertaintyNs == null ? UNKNOWN_UNCERTAINTY_NS : uncertaintyNs;
    }
}
