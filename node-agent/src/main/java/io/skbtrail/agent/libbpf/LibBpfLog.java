package io.skbtrail.agent.libbpf;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Captures what libbpf prints (warnings, and the verifier log when a program is rejected) instead of
 * letting it reach stderr, so a failure becomes one clear message and the details go to --debug.
 */
public final class LibBpfLog {
    private static final int LIBBPF_DEBUG = 2;
    private static final int MAX_LINES = 400;
    private static final Deque<String> LINES = new ArrayDeque<>();
    private static volatile boolean debug;
    // Strong reference: JNA callbacks are freed when their Java object is collected.
    private static final LibBpf.PrintFn PRINT = LibBpfLog::print;

    static {
        LibBpf.get().libbpf_set_print(PRINT);
    }

    private LibBpfLog() {}

    /** Makes sure the callback is installed. */
    static void install() {}

    /** Also echo libbpf's debug output to stderr (--debug). */
    public static void setDebug(boolean on) {
        debug = on;
    }

    /** Everything captured since the last call, and forget it. */
    public static synchronized String drain() {
        String text = String.join("", LINES);
        LINES.clear();
        return text;
    }

    private static int print(int level, Pointer format, Pointer args) {
        if (level >= LIBBPF_DEBUG && !debug) {
            return 0; // debug lines are only echoed, never kept: not even formatted unless --debug
        }
        byte[] buf = new byte[4096];
        int n = LibC.INSTANCE.vsnprintf(buf, buf.length, format, args);
        String line = new String(buf, 0, Math.max(0, Math.min(n, buf.length - 1)), StandardCharsets.UTF_8);
        if (debug) {
            System.err.print(line);
        }
        if (level < LIBBPF_DEBUG) {
            synchronized (LibBpfLog.class) {
                LINES.addLast(line);
                while (LINES.size() > MAX_LINES) {
                    LINES.removeFirst();
                }
            }
        }
        return 0;
    }
}
