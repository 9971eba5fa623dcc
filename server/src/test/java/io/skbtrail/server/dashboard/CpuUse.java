package io.skbtrail.server.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * CPU time taken by groups of processes between two samples, from {@code /proc}: where the machine's two cores
 * went during a measuring window (the server, its PostgreSQL, the synthetic agent, Chromium's renderer), and the
 * machine as a whole. Processes that ended between the samples are not counted.
 */
final class CpuUse {
    /** One sample: CPU seconds per group, and the machine's busy and total jiffies. */
    record Sample(long nanos, Map<String, Double> seconds, long busy, long total) {}

    /** A named group: which processes belong to it. */
    record Group(String name, Predicate<ProcessHandle> member) {}

    private static final double HZ = 100.0; // USER_HZ on Linux

    private CpuUse() {}

    static Sample sample(List<Group> groups) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (Group g : groups) {
            seconds.put(g.name(), 0.0);
        }
        ProcessHandle.allProcesses().forEach(p -> {
            for (Group g : groups) {
                if (g.member().test(p)) {
                    seconds.merge(g.name(), cpuSeconds(p.pid()), Double::sum);
                    break;
                }
            }
        });
        long[] machine = machine();
        return new Sample(System.nanoTime(), seconds, machine[0], machine[1]);
    }

    /** Per group: the share of one core used between the samples (1.0 = one core busy all the time). */
    static Map<String, Double> cores(Sample from, Sample to) {
        double wall = (to.nanos() - from.nanos()) / 1e9;
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : to.seconds().entrySet()) {
            out.put(e.getKey(), Math.max(0, e.getValue() - from.seconds().getOrDefault(e.getKey(), 0.0)) / wall);
        }
        return out;
    }

    /** The machine's busy share of all its cores between the samples (every process, ours or not). */
    static double machineBusy(Sample from, Sample to) {
        long total = to.total() - from.total();
        return total == 0 ? 0 : (double) (to.busy() - from.busy()) / total;
    }

    /** The 1-minute load average now, as {@code uptime} shows it. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static boolean isDescendantOf(ProcessHandle p, long ancestor) {
        Optional<ProcessHandle> parent = p.parent();
        for (int depth = 0; parent.isPresent() && depth < 20; depth++) {
            if (parent.get().pid() == ancestor) {
                return true;
            }
            parent = parent.get().parent();
        }
        return false;
    }

    static String commandLine(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command (in parentheses, which may hold spaces): state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / HZ;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }
}
