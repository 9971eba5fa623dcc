package io.skbtrail.agent.link;

/**
 * A session's output that also takes event lines already encoded for the wire, a batch's worth at a time:
 * what a recording replays ({@code skbtrail-agent replay}), encoded once however many sessions play it.
 * The lines go through the same outbox, numbering, acknowledgements and loss counting as any other.
 */
public interface EncodedEventsSink {

    /**
     * Seals the session's open batch, then {@code events} event lines (UTF-8, each ending in {@code \n},
     * at most the batch size) as one batch of their own; if the outbox has no room for all of them, all
     * are lost at {@value BatchSink#HOP}.
     */
    void writeEncodedEvents(byte[] lines, int events);
}
