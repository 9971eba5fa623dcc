package io.skbtrail.server.events;

/**
 * Told of every batch whose events were just committed (not of resends the server had already), in the
 * order the batches were committed. Called on the agent's storing thread: it must return at once and do no
 * work per event (the live stream queues the batch and does its work on threads of its own; the fast path's
 * events are only parsed there, when asked for).
 */
public interface StoredEventsListener {
    /** @param events the batch's events (at least one), in the batch's order */
    void stored(long hostId, long session, StoredEvents events);

    /**
     * Whether this session's events will be asked for (someone watches it live). When not, ingest neither
     * copies nor keeps them and {@link #stored} gets a batch that only counts them.
     */
    boolean wantsEvents(long session);
}
