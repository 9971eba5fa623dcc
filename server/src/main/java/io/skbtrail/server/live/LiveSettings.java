package io.skbtrail.server.live;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Settings of the live stream.
 *
 * <ul>
 *   <li>{@code skbtrail.live.buffer-events} (default 100,000): events each running session keeps for viewers
 *       that reconnect ({@code after}); about 1 KB of heap each. Kept only while a viewer watches the
 *       session, and for {@code skbtrail.live.hold-unwatched-seconds} (default 60) after the last one left.</li>
 *   <li>{@code skbtrail.live.viewer-queue-bytes} (default 4 MiB): what may wait to be sent to one viewer;
 *       beyond it, events that match its filter are counted in its {@code dropped}, not queued.</li>
 * </ul>
 */
@Component
public class LiveSettings {
    /** Events in one {@code events} frame at most. */
    public static final int FRAME_EVENTS = 2_000;
    /** A viewer gets a frame at most this often, unless a full one is ready. */
    public static final long FLUSH_NANOS = 100_000_000L;

    private final int bufferEvents;
    private final long viewerQueueBytes;
    private final long holdUnwatchedNanos;

    public LiveSettings(@Value("${skbtrail.live.buffer-events:100000}") int bufferEvents,
            @Value("${skbtrail.live.viewer-queue-bytes:4194304}") long viewerQueueBytes,
            @Value("${skbtrail.live.hold-unwatched-seconds:60}") long holdUnwatchedSeconds) {
        if (holdUnwatchedSeconds < 0) {
            throw new IllegalArgumentException("skbtrail.live.hold-unwatched-seconds must not be negative");
        }
        if (bufferEvents < 1) {
            throw new IllegalArgumentException("skbtrail.live.buffer-events must be at least 1, not " + bufferEvents);
        }
        if (viewerQueueBytes < 64 * 1024) {
            throw new IllegalArgumentException("skbtrail.live.viewer-queue-bytes must be at least 65536");
        }
        this.bufferEvents = bufferEvents;
        this.viewerQueueBytes = viewerQueueBytes;
        this.holdUnwatchedNanos = holdUnwatchedSeconds * 1_000_000_000L;
    }

    public long holdUnwatchedNanos() {
        return holdUnwatchedNanos;
    }

    public int bufferEvents() {
        return bufferEvents;
    }

    public long viewerQueueBytes() {
        return viewerQueueBytes;
    }
}
