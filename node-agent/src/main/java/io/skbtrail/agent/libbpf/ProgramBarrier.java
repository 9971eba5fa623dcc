package io.skbtrail.agent.libbpf;

/**
 * Waits until BPF programs that were running when their probes were detached have finished.
 * Tracing programs run inside an RCU read-side section, and {@code membarrier(MEMBARRIER_CMD_GLOBAL)}
 * waits for an RCU grace period (synchronize_rcu) — so afterwards every record is in the ring buffer.
 */
public final class ProgramBarrier {
    private static final long SYS_MEMBARRIER_X86_64 = 324;
    private static final int MEMBARRIER_CMD_GLOBAL = 1;
    private static final long FALLBACK_WAIT_MS = 50;

    private ProgramBarrier() {}

    public static void awaitRunningPrograms() {
        boolean x86 = "amd64".equals(System.getProperty("os.arch"));
        if (x86 && LibC.INSTANCE.syscall(SYS_MEMBARRIER_X86_64, MEMBARRIER_CMD_GLOBAL, 0, 0) == 0) {
            return;
        }
        try {
            Thread.sleep(FALLBACK_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
