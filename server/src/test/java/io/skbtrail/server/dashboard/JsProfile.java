package io.skbtrail.server.dashboard;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CPU profile of the page's main thread (Chromium's sampling profiler over the DevTools protocol), summarised
 * as the functions that took the most time themselves: which JavaScript the page spends its time in, and how
 * much goes to the garbage collector and to the browser's own work ("(program)": style, layout, paint).
 */
final class JsProfile {
    private final CDPSession cdp;

    private JsProfile(CDPSession cdp) {
        this.cdp = cdp;
    }

    static JsProfile start(Page page) {
        CDPSession cdp = page.context().newCDPSession(page);
        cdp.send("Profiler.enable");
        JsonObject interval = new JsonObject();
        interval.addProperty("interval", 500);
        cdp.send("Profiler.setSamplingInterval", interval);
        cdp.send("Profiler.start");
        return new JsProfile(cdp);
    }

    /** Stops and gives a Markdown table of the {@code top} functions by self time. */
    String stopAndSummarise(int top) {
        JsonObject profile = cdp.send("Profiler.stop").getAsJsonObject("profile");
        cdp.detach();
        Map<Integer, String> names = new HashMap<>();
        for (JsonElement e : profile.getAsJsonArray("nodes")) {
            JsonObject node = e.getAsJsonObject();
            JsonObject frame = node.getAsJsonObject("callFrame");
            String function = frame.get("functionName").getAsString();
            String url = frame.get("url").getAsString();
            String where = url.isEmpty() ? "" : " " + url.substring(url.lastIndexOf('/') + 1) + ":"
                    + (frame.get("lineNumber").getAsInt() + 1);
            names.put(node.get("id").getAsInt(), (function.isEmpty() ? "(anonymous)" : function) + where);
        }
        JsonArray samples = profile.getAsJsonArray("samples");
        JsonArray deltas = profile.getAsJsonArray("timeDeltas");
        Map<String, Double> self = new LinkedHashMap<>();
        double total = 0;
        for (int i = 0; i < samples.size(); i++) {
            // a sample's time is the delta to the next one
            double micros = i + 1 < deltas.size() ? deltas.get(i + 1).getAsDouble() : 0;
            self.merge(names.get(samples.get(i).getAsInt()), micros, Double::sum);
            total += micros;
        }
        double busy = total - self.getOrDefault("(idle)", 0.0);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "main thread busy %.0f ms of %.0f ms profiled%n%n| function (self time) | ms | share of busy |%n|---|---|---|%n",
                busy / 1000, total / 1000));
        List<Map.Entry<String, Double>> sorted = self.entrySet().stream()
                .filter(e -> !e.getKey().equals("(idle)"))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top).toList();
        for (Map.Entry<String, Double> e : sorted) {
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f %% |%n", e.getKey().replace("|", "\\|"),
                    e.getValue() / 1000, 100 * e.getValue() / busy));
        }
        return out.toString();
    }
}
