package io.skbtrail.agent.output;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RELATIVE timestamps: ns since the previous event of the same packet id, 0 for its first event. Keyed
 * by packet id, not skb address, because addresses are reused after free. Remembers the most recently
 * seen {@value #MAX_PACKETS} packets (pwru's map grows without bound); a packet forgotten and seen again
 * restarts at 0.
 */
final class PacketDeltas {

    static final int MAX_PACKETS = 1 << 16;

    private final Map<Long, Long> lastKtime = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > MAX_PACKETS;
        }
    };

    /** The delta for this event, remembering its time for the packet's next event. */
    long next(long packetId, long ktimeNs) {
        Long previous = lastKtime.put(packetId, ktimeNs);
        return previous == null ? 0 : ktimeNs - previous;
    }
}
