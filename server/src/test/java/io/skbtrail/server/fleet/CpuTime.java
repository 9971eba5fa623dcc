package io.skbtrail.server.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU seconds (user + system) used so far by processes of this machine, read from {@code /proc}: the
 * benchmark splits a phase's CPU between PostgreSQL, the server and the agents, which shows where an
 * event's cost is even when other work on the machine makes wall-clock rates noisy.
 */
final class CpuTime {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture

    private CpuTime() {}

    /** One process, all its threads. */
    static double of(long pid) {
        long[] t = stat(pid);
        return t == null ? 0 : (t[0] + t[1]) / TICKS_PER_SECOND;
    }

    /**
     * A PostgreSQL instance: the postmaster with its exited children (reaped, so in its children's time)
     * and its live children (the backends, the writers).
     *
     * @param dataDir the directory its command line names with {@code -D}
     */
    static double ofPostgres(Path dataDir) throws IOException {
        long postmaster = -1;
        List<Path> procs;
        try (var s = Files.list(Path.of("/proc"))) {
            procs = s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList();
        }
        for (Path p : procs) {
            String cmd = cmdline(p);
            if (cmd.contains("postgres") && cmd.contains("-D " + dataDir)) {
                postmaster = Long.parseLong(p.getFileName().toString());
                break;
            }
        }
        if (postmaster < 0) {
            throw new IllegalStateException("no postmaster for " + dataDir);
        }
        long ticks = 0;
        for (Path p : procs) {
            long[] t = stat(Long.parseLong(p.getFileName().toString()));
            if (t == null) {
                continue;
            }
            if (t[4] == postmaster) {
                ticks += t[0] + t[1];
            } else if (Long.parseLong(p.getFileName().toString()) == postmaster) {
                ticks += t[0] + t[1] + t[2] + t[3];
            }
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** Busy CPU seconds of the whole machine (every process, all cores), from {@code /proc/stat}. */
    static double machine() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        // cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy / TICKS_PER_SECOND;
    }

    private static String cmdline(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** {utime, stime, cutime, cstime, ppid} in ticks, or null if the process is gone. */
    private static long[] stat(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return null;
        }
        // The command name may hold spaces and parentheses: fields are counted after the last ')'.
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                Long.parseLong(f[14]), Long.parseLong(f[1])};
    }
}
