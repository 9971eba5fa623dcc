package io.skbtrail.agent.probe;

import io.skbtrail.agent.libbpf.BpfMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the per-CPU `counters` map (enum counter in bpf/include/config.h — keep in sync) and sums
 * it over the CPUs.
 */
public final class KernelCounters {
    public static final int MATCHED = 0;
    public static final int RINGBUF_FULL = 1;
    public static final int RATE_LIMITED = 2;
    public static final int NESTED = 3;
    public static final int TRACK_INSERT = 4;
    public static final int TRACK_DELETE = 5;
    public static final int TRACK_EXPIRED = 6;
    public static final int COUNT = 7;

    private final BpfMap map;
    private final int possibleCpus;

    public KernelCounters(BpfMap map, int possibleCpus) {
        this.map = map;
        this.possibleCpus = possibleCpus;
    }

    /** Every counter, summed over CPUs, indexed by the constants above. */
    public long[] read() {
        long[] totals = new long[COUNT];
        byte[] values = new byte[8 * possibleCpus];
        ByteBuffer view = ByteBuffer.wrap(values).order(ByteOrder.nativeOrder());
        for (int i = 0; i < COUNT; i++) {
            byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, i).array();
            if (map.lookup(key, values)) {
                for (int cpu = 0; cpu < possibleCpus; cpu++) {
                    totals[i] += view.getLong(8 * cpu);
                }
            }
        }
        return totals;
    }
}
