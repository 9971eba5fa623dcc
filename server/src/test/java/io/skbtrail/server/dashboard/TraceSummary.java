package io.skbtrail.server.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the renderer's main thread did, from a Chromium trace: time per kind of work (script, style, layout,
 * paint, garbage collection…, each counted once, without what it called), the tasks longer than 50 ms, and
 * what those long tasks were made of.
 */
final class TraceSummary {
    static final List<String> CATEGORIES = List.of("toplevel", "devtools.timeline",
            "disabled-by-default-devtools.timeline", "v8", "blink");

    private TraceSummary() {}

    private record Slice(String name, long ts, long dur) {}

    static String summarise(byte[] trace, int top) {
        JsonNode root = JsonMapper.builder().build().readTree(trace);
        JsonNode events = root.isArray() ? root : root.get("traceEvents");
        Map<String, String> threadNames = new HashMap<>();
        for (JsonNode e : events) {
            if ("M".equals(e.path("ph").asString()) && "thread_name".equals(e.path("name").asString())) {
                threadNames.put(e.path("pid").asString() + "/" + e.path("tid").asString(),
                        e.path("args").path("name").asString());
            }
        }
        Map<String, List<Slice>> byThread = new HashMap<>();
        for (JsonNode e : events) {
            String thread = e.path("pid").asString() + "/" + e.path("tid").asString();
            if ("X".equals(e.path("ph").asString()) && "CrRendererMain".equals(threadNames.get(thread))) {
                byThread.computeIfAbsent(thread, t -> new ArrayList<>())
                        .add(new Slice(name(e), e.path("ts").asLong(), e.path("dur").asLong()));
            }
        }
        // the page's renderer: the main thread that ran the most
        List<Slice> slices = byThread.values().stream()
                .max(Comparator.comparingLong(l -> l.stream().filter(s -> s.name.equals("RunTask")).mapToLong(s -> s.dur).sum()))
                .orElse(List.of());
        slices = new ArrayList<>(slices);
        slices.sort(Comparator.comparingLong((Slice s) -> s.ts).thenComparing(s -> -s.dur));

        Map<String, Long> self = new LinkedHashMap<>();
        Map<String, Long> inLongTasks = new LinkedHashMap<>();
        Deque<long[]> stack = new ArrayDeque<>(); // [end, index]
        long[] selfOf = new long[slices.size()];
        int longTasks = 0;
        int over200 = 0;
        long longest = 0;
        long busy = 0;
        Slice currentTop = null;
        List<Integer> topOf = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++) {
            Slice s = slices.get(i);
            while (!stack.isEmpty() && stack.peek()[0] <= s.ts) {
                stack.pop();
            }
            selfOf[i] = s.dur;
            if (!stack.isEmpty()) {
                selfOf[(int) stack.peek()[1]] -= s.dur;
                topOf.add(topOf.get((int) stack.peekLast()[1]));
            } else {
                topOf.add(i);
                busy += s.dur;
                if (s.dur > 50_000) {
                    longTasks++;
                    longest = Math.max(longest, s.dur);
                    if (s.dur > 200_000) {
                        over200++;
                    }
                }
            }
            stack.push(new long[] {s.ts + s.dur, i});
        }
        for (int i = 0; i < slices.size(); i++) {
            self.merge(slices.get(i).name, selfOf[i], Long::sum);
            if (slices.get(topOf.get(i)).dur > 50_000) {
                inLongTasks.merge(slices.get(i).name, selfOf[i], Long::sum);
            }
        }
        long span = slices.isEmpty() ? 0 : slices.get(slices.size() - 1).ts - slices.get(0).ts;
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "renderer main thread: busy %.0f ms of %.0f ms traced; %d tasks > 50 ms (the longest %.0f ms), %d > 200 ms%n%n"
                        + "| work (self time) | all tasks, ms | in tasks > 50 ms, ms |%n|---|---|---|%n",
                busy / 1e3, span / 1e3, longTasks, longest / 1e3, over200));
        self.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", e.getKey().replace("|", "\\|"),
                        e.getValue() / 1e3, inLongTasks.getOrDefault(e.getKey(), 0L) / 1e3)));
        return out.toString();
    }

    /** The event's name, with the function or URL for script calls. */
    private static String name(JsonNode e) {
        String name = e.path("name").asString();
        JsonNode data = e.path("args").path("data");
        if (name.equals("FunctionCall") && data.has("functionName")) {
            String url = data.path("url").asString("");
            return "FunctionCall " + data.path("functionName").asString()
                    + (url.isEmpty() ? "" : " " + url.substring(url.lastIndexOf('/') + 1) + ":" + data.path("lineNumber").asInt());
        }
        if (name.equals("EventDispatch") && data.has("type")) {
            return "EventDispatch " + data.path("type").asString();
        }
        return name;
    }
}
