package io.skbtrail.agent.probe;

/**
 * What each event carries and how fast events may flow.
 *
 * @param stack kernel stack of each event (--output-stack)
 * @param skbDump BTF text dump of the skb (--output-skb, Linux 5.9+)
 * @param packetBytes packet bytes to report per event, at most 256 (--output-packet-bytes)
 * @param rateLimit events per second the kernel may emit, over all CPUs; 0 for no cap
 * @param ringBytes ring buffer size, a power of two of at least one page
 * @param trackedSkbs capacity of the skb table (packet ids and --filter-track-skb)
 */
public record CaptureSpec(
        boolean stack, boolean skbDump, int packetBytes, long rateLimit, int ringBytes, int trackedSkbs) {

    public static final int MAX_PACKET_BYTES = 256;
}
