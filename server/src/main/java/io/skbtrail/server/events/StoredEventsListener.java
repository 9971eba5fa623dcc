package io.skbtrail.server.events;

import io.skbtrail.protocol.EventBatch;

/**
 * Told of every batch whose events were just committed (not of resends the server had already), in the
 * order the batches were committed. Called on the agent's storing thread: it must return at once and do no
 * work per event (the live stream queues the batch and does its work on threads of its own).
 */
public interface StoredEventsListener {
    /** @param events how many of the batch's records are events (the rest are loss records and summaries) */
    void stored(long hostId, EventBatch batch, int events);
}
