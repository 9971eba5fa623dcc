package io.skbtrail.agent.probe;

import io.skbtrail.agent.libbpf.BpfMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes the `config` map the probes read on every hit, so filters and outputs change without a
 * reload. Layout: struct config in bpf/include/config.h — keep both in sync.
 */
public final class ProbeConfig {
    static final int FLAG_PCAP = 1;
    static final int FLAG_TRACK_SKB = 1 << 1;
    static final int FLAG_OUTPUT_STACK = 1 << 2;
    static final int FLAG_OUTPUT_SKB = 1 << 3;
    static final int FLAG_PCAP_L3_NONE = 1 << 4;
    static final int FLAG_ENABLED = 1 << 5;
    private static final int SIZE = 72;

    private final BpfMap map;
    private final int cpus;
    private final ProbeLoader.DropFunctions dropFunctions;

    public ProbeConfig(BpfMap map, int cpus, ProbeLoader.DropFunctions dropFunctions) {
        this.map = map;
        this.cpus = cpus;
        this.dropFunctions = dropFunctions;
    }

    /**
     * @param pcapFlags FLAG_PCAP and FLAG_PCAP_L3_NONE as the injected filter needs
     */
    public void write(FilterSpec filter, CaptureSpec capture, int pcapFlags, boolean enabled) {
        int flags = pcapFlags
                | (filter.trackSkb() ? FLAG_TRACK_SKB : 0)
                | (capture.stack() ? FLAG_OUTPUT_STACK : 0)
                | (capture.skbDump() ? FLAG_OUTPUT_SKB : 0)
                | (enabled ? FLAG_ENABLED : 0);
        long perCpu = capture.rateLimit() == 0 ? 0 : Math.max(1, capture.rateLimit() / cpus);
        ByteBuffer value = ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder());
        value.putInt(0, flags);
        value.putInt(4, (int) filter.netns());
        value.putInt(8, (int) filter.mark());
        value.putInt(12, (int) filter.markMask());
        value.putInt(16, filter.ifindex());
        value.putInt(20, Math.min(capture.packetBytes(), CaptureSpec.MAX_PACKET_BYTES));
        value.putLong(24, filter.trackMaxAge().toNanos());
        value.putLong(32, perCpu);
        value.putLong(40, Math.max(64, perCpu / 10));
        value.putLong(48, capture.ringBytes() / 16);
        value.putLong(56, dropFunctions.kfreeSkbReason());
        value.putLong(64, dropFunctions.skSkbReasonDrop());
        map.update(new byte[4], value.array());
    }
}
