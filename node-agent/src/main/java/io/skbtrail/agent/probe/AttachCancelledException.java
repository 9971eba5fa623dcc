package io.skbtrail.agent.probe;

/** The user stopped the agent while probes were being attached; everything attached was detached. */
public final class AttachCancelledException extends RuntimeException {
    public AttachCancelledException(int attached, int total) {
        super("stopped while attaching (" + attached + " of " + total + " probes were attached, all detached again)");
    }
}
