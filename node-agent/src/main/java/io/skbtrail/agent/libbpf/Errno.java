package io.skbtrail.agent.libbpf;

import java.util.Map;

/** errno values the agent reacts to, and their names for messages. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int E2BIG = 7;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ENOTSUPP = 524;
    public static final int EOPNOTSUPP = 95;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(E2BIG, "E2BIG"),
            Map.entry(EACCES, "EACCES"), Map.entry(EINVAL, "EINVAL"), Map.entry(ENOSPC, "ENOSPC"),
            Map.entry(ENOTSUPP, "ENOTSUPP"), Map.entry(EOPNOTSUPP, "EOPNOTSUPP"),
            Map.entry(3, "ESRCH"), Map.entry(9, "EBADF"), Map.entry(12, "ENOMEM"), Map.entry(16, "EBUSY"),
            Map.entry(17, "EEXIST"), Map.entry(19, "ENODEV"), Map.entry(38, "ENOSYS"));

    private Errno() {}

    /** {@code EPERM (Operation not permitted)} style. */
    public static String describe(int errno) {
        int e = Math.abs(errno);
        String name = NAMES.getOrDefault(e, "errno " + e);
        String text = e == ENOTSUPP ? "operation not supported by this kernel" : LibC.INSTANCE.strerror(e);
        return name + " (" + text + ")";
    }
}
