package io.skbtrail.agent.link;

import java.nio.charset.StandardCharsets;

/**
 * An event batch ready to send: {@code frame} is the whole frame in UTF-8 (header line and {@code count}
 * record lines, see {@link io.skbtrail.protocol.EventBatch}), encoded once when the batch is sealed and
 * sent as a binary WebSocket frame as often as the link needs.
 *
 * @param end the session's end on its last batch ({@code stopped}, {@code limit}, …), else null
 */
public record SealedBatch(long seq, long session, String end, int count, byte[] frame) {

    /** The frame as text (for tests and logs). */
    public String text() {
        return new String(frame, StandardCharsets.UTF_8);
    }
}
