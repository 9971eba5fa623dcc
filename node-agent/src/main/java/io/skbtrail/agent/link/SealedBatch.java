package io.skbtrail.agent.link;

/**
 * An event batch ready to send: {@code text} is the whole WebSocket text frame (header line and
 * {@code count} record lines, see {@link io.skbtrail.protocol.EventBatch}).
 *
 * @param end the session's end on its last batch ({@code stopped}, {@code limit}, …), else null
 */
public record SealedBatch(long seq, long session, String end, int count, String text) {}
