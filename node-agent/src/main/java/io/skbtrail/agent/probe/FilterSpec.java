package io.skbtrail.agent.probe;

import java.time.Duration;

/**
 * What the in-kernel filters let through.
 *
 * @param pcap tcpdump expression, empty for every packet
 * @param netns netns inode to match, 0 for any
 * @param markMask 0 to ignore the mark; a packet matches when {@code (skb->mark & mask) == (mark & mask)}
 * @param ifindex interface index to match, 0 for any (resolved in {@code netns} by the caller)
 * @param trackSkb keep reporting an skb that matched once, after NAT or decapsulation, until it is freed
 * @param trackMaxAge a tracked skb not seen for this long is forgotten (tracepoints miss some frees)
 */
public record FilterSpec(
        String pcap, long netns, long mark, long markMask, int ifindex, boolean trackSkb, Duration trackMaxAge) {
}
