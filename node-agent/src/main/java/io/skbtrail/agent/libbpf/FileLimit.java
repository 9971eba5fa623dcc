package io.skbtrail.agent.libbpf;

/**
 * The open-file limit: each kprobe is a perf event, one file descriptor, and ~1,500 of them exceed
 * the usual soft limit of 1,024 (and the JVM's raise to a hard limit of 4,096 leaves little room).
 */
public final class FileLimit {
    private FileLimit() {}

    /** Raises the soft and, as root, the hard limit to at least {@code needed}; false if it could not. */
    public static boolean ensure(long needed) {
        long[] limit = new long[2];
        if (LibC.INSTANCE.getrlimit(LibC.RLIMIT_NOFILE, limit) != 0) {
            return false;
        }
        if (limit[0] >= needed) {
            return true;
        }
        long[] wanted = {needed, Math.max(limit[1], needed)};
        return LibC.INSTANCE.setrlimit(LibC.RLIMIT_NOFILE, wanted) == 0;
    }
}
