package io.skbtrail.agent.bench;

import io.skbtrail.agent.lab.Shell;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Run-time statistics of loaded BPF programs (bpftool; needs kernel.bpf_stats_enabled=1). */
record ProgramStats(long runTimeNs, long runCount, int programs) {
    private static final Pattern ID = Pattern.compile("^(\\d+),");
    private static final Pattern NAME = Pattern.compile("\"name\":\"([^\"]*)\"");
    private static final Pattern RUN_TIME = Pattern.compile("\"run_time_ns\":(\\d+)");
    private static final Pattern RUN_COUNT = Pattern.compile("\"run_cnt\":(\\d+)");

    /** Per program id: its bpftool JSON object. */
    private static Map<Integer, String> loaded() {
        Map<Integer, String> all = new HashMap<>();
        for (String chunk : Shell.run("bpftool -j prog show").split("\\{\"id\":")) {
            Matcher id = ID.matcher(chunk);
            if (id.find()) {
                all.put(Integer.parseInt(id.group(1)), chunk);
            }
        }
        return all;
    }

    private static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Per program id: run time and run count. */
    static Map<Integer, long[]> snapshot() {
        Map<Integer, long[]> all = new HashMap<>();
        loaded().forEach((id, json) -> all.put(id, new long[] {number(RUN_TIME, json), number(RUN_COUNT, json)}));
        return all;
    }

    static Map<Integer, String> names() {
        Map<Integer, String> names = new HashMap<>();
        loaded().forEach((id, json) -> {
            Matcher m = NAME.matcher(json);
            names.put(id, m.find() ? m.group(1) : "");
        });
        return names;
    }

    /** The difference between two snapshots, over the programs {@code ids} accepts. */
    static ProgramStats delta(Map<Integer, long[]> before, Map<Integer, long[]> after, Predicate<Integer> ids) {
        long time = 0;
        long count = 0;
        int programs = 0;
        for (Map.Entry<Integer, long[]> e : after.entrySet()) {
            if (!ids.test(e.getKey())) {
                continue;
            }
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            time += e.getValue()[0] - b[0];
            count += e.getValue()[1] - b[1];
            programs++;
        }
        return new ProgramStats(time, count, programs);
    }

    double nsPerRun() {
        return runCount == 0 ? 0 : (double) runTimeNs / runCount;
    }
}
