package io.skbtrail.server.dashboard;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.skbtrail.server.fleet.Api;
import io.skbtrail.server.fleet.ServerProcess;
import io.skbtrail.server.fleet.SyntheticAgent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard benchmark ({@code scripts/bench-dashboard}); prints Markdown for BENCHMARKS.md.
 *
 * <ol>
 *   <li><b>Live.</b> For each rate, a {@link SyntheticAgent} process (the node agent's real link; events made at
 *       that rate, each stamped with the wall clock) feeds a session on a real server process, and Debian's
 *       Chromium (Playwright) shows it in the session page, following the tail. In the page, on the same clock
 *       ({@code bench-probe.js}): event → painted latency, long tasks, animation-frame intervals; then the same
 *       while a script scrolls the event grid.</li>
 *   <li><b>Stored.</b> A session of many events (default 10 million), filled straight into its partition with
 *       SQL ({@code generate_series}); the first events page's time to first byte over HTTP (warm), rows painted
 *       after navigating to the session, and one packet's path.</li>
 * </ol>
 */
public final class DashboardBench {
    private static final Pattern JDBC_URL = Pattern.compile("Database: (jdbc:postgresql://[^ ]+)");

    private final ServerProcess server;
    private final Api admin;
    private final String token;
    private final Page page;
    private final Chromium chromium;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private Process agent;

    private DashboardBench(ServerProcess server, Api admin, String token, Chromium chromium, Page page) {
        this.server = server;
        this.chromium = chromium;
        this.admin = admin;
        this.token = token;
        this.page = page;
    }

    public static void main(String[] args) throws Exception {
        List<Long> rates = Arrays.stream(stringArg(args, "--rates", "1000,10000,20000").split(","))
                .map(String::trim).map(Long::parseLong).toList();
        int warmup = intArg(args, "--warmup-seconds", 10);
        int seconds = intArg(args, "--seconds", 20);
        int scrollSeconds = intArg(args, "--scroll-seconds", 10);
        long stored = Long.parseLong(stringArg(args, "--stored-events", "10000000"));
        int requests = intArg(args, "--requests", 30);
        int navigations = intArg(args, "--navigations", 10);
        List<String> flags = Arrays.asList(args);
        boolean live = !flags.contains("--stored-only");
        boolean storedPart = !flags.contains("--live-only") && stored > 0;

        System.out.printf(Locale.ROOT, "%n## Dashboard benchmark, %s, load average at start %s (%d cores)%n",
                java.time.Instant.now().toString().substring(0, 16) + "Z", CpuUse.loadAverage(),
                Runtime.getRuntime().availableProcessors());
        try (ServerProcess server = new ServerProcess(); Chromium chromium = new Chromium()) {
            server.start();
            Api admin = new Api(server.url(), "admin", ServerProcess.ADMIN_PASSWORD);
            String token = admin.post("/api/agent-tokens", "{\"host\":null,\"description\":\"dashboard bench\"}")
                    .body().get("token").asString();
            BrowserContext context = chromium.newContext(false);
            context.addInitScript(resource("bench-probe.js"));
            Page page = context.newPage();
            page.setDefaultTimeout(60_000);
            DashboardBench bench = new DashboardBench(server, admin, token, chromium, page);
            bench.signIn();
            try {
                if (live) {
                    List<LiveFigures> figures = new ArrayList<>();
                    for (long rate : rates) {
                        figures.add(bench.live(rate, warmup, seconds, scrollSeconds, flags.contains("--profile"),
                                flags.contains("--trace"), !flags.contains("--no-page")));
                    }
                    printLive(figures, seconds, scrollSeconds);
                }
                if (storedPart) {
                    bench.stored(stored, requests, navigations, flags.contains("--verbose"));
                }
            } finally {
                bench.stopAgent();
            }
        }
    }

    private String url(String path) {
        return server.url() + path;
    }

    private void signIn() {
        page.navigate(url("/login"));
        page.getByLabel("User name").fill("admin");
        page.getByLabel("Password").fill(ServerProcess.ADMIN_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForURL(Pattern.compile(".*/(\\?continue)?$"));
    }

    // ---- live ---------------------------------------------------------------------------------------------------

    /** What one rate gave: the page's figures following the tail and while scrolling, the CPU, the load. */
    record LiveFigures(long rate, double storedRate, JsonNode ingest, Map<String, Object> follow,
            Map<String, Object> scroll, Map<String, Double> cores, double machineBusy, String loadBefore,
            String loadAfter) {}

    private LiveFigures live(long rate, int warmup, int seconds, int scrollSeconds, boolean profile, boolean trace,
            boolean withPage) throws Exception {
        String name = "synthetic-agent-" + rate + "-" + run;
        agent = SyntheticAgent.start(server.url(), token, name, rate);
        try {
            awaitHost(name, "online");
            // A first session warms up the agent, the server and the page (JIT compilation, connections) at this
            // rate; the measured one starts with nothing queued anywhere.
            long first = startSession(name);
            watch(first, withPage);
            System.err.printf("bench: %,d events/s into session %d, warming up for %d s%n", rate, first, warmup);
            Thread.sleep(warmup * 1000L);
            stopSession(first);
            long session = startSession(name);
            watch(session, withPage);
            System.err.printf("bench: %,d events/s into session %d%n", rate, session);
            Thread.sleep(3000);

            String loadBefore = CpuUse.loadAverage();
            List<CpuUse.Group> groups = groups();
            CpuUse.Sample cpu0 = CpuUse.sample(groups);
            long events0 = storedEvents(session);
            admin.post("/api/ingest/reset", "");
            long t0 = System.nanoTime();
            JsProfile js = profile && withPage ? JsProfile.start(page) : null;
            if (trace && withPage) {
                chromium.startTracing(page, TraceSummary.CATEGORIES);
            }
            if (withPage) {
                page.evaluate("() => window.__skbtrailBench.start()");
            }
            Thread.sleep(seconds * 1000L);
            Map<String, Object> follow = withPage ? figures(page.evaluate("() => window.__skbtrailBench.stop()")) : Map.of();
            JsonNode ingest = admin.get("/api/ingest").body();
            if (trace && withPage) {
                System.out.printf(Locale.ROOT, "%n#### The page's main thread at %,d events/s (Chromium trace, %d s)%n%n%s",
                        rate, seconds, TraceSummary.summarise(chromium.stopTracing(), 20));
            }
            if (js != null) {
                System.out.printf(Locale.ROOT, "%n#### Where the page's main thread went at %,d events/s (CPU profile, %d s)%n%n%s",
                        rate, seconds, js.stopAndSummarise(15));
            }
            long events1 = storedEvents(session);
            double storedRate = (events1 - events0) / ((System.nanoTime() - t0) / 1e9);
            CpuUse.Sample cpu1 = CpuUse.sample(groups);
            String loadAfter = CpuUse.loadAverage();

            Map<String, Object> scroll = Map.of();
            if (withPage) {
                System.err.printf("bench: scrolling for %d s%n", scrollSeconds);
                page.evaluate("() => { window.__skbtrailBench.start(); window.__skbtrailBench.scroll(40, 150); }");
                Thread.sleep(scrollSeconds * 1000L);
                scroll = figures(page.evaluate(
                        "() => { window.__skbtrailBench.scroll(0); return window.__skbtrailBench.stop(); }"));
            }
            admin.post("/api/sessions/" + session + "/stop", "");
            LiveFigures f = new LiveFigures(rate, storedRate, ingest, follow, scroll, CpuUse.cores(cpu0, cpu1),
                    CpuUse.machineBusy(cpu0, cpu1), loadBefore, loadAfter);
            System.err.println("bench: " + f);
            return f;
        } finally {
            stopAgent();
        }
    }

    private long startSession(String host) throws Exception {
        Api.Response created = admin.post("/api/sessions", "{\"hosts\":[\"" + host + "\"]}");
        if (created.status() != 201) {
            throw new IllegalStateException("session: " + created.status() + " " + created.text());
        }
        long session = created.body().get("id").asLong();
        await("session " + session + " tracing", () -> "tracing".equals(hostState(session)));
        return session;
    }

    private void stopSession(long session) throws Exception {
        admin.post("/api/sessions/" + session + "/stop", "");
        await("session " + session + " stopped",
                () -> "stopped".equals(admin.get("/api/sessions/" + session).body().get("state").asString()));
    }

    /** Opens the session's live view (or, without the page, a blank one: the pipeline alone). */
    private void watch(long session, boolean withPage) {
        if (!withPage) {
            page.navigate("about:blank");
            return;
        }
        page.navigate(url("/sessions/" + session + "?tz=utc"));
        page.waitForFunction("() => document.getElementById('connection').classList.contains('connected')");
    }

    private void stopAgent() throws InterruptedException {
        if (agent != null) {
            SyntheticAgent.stop(agent);
            agent = null;
        }
    }

    private List<CpuUse.Group> groups() {
        long serverPid = server.pid();
        long agentPid = agent == null ? -1 : agent.pid();
        long bench = ProcessHandle.current().pid();
        String pgData = server.dataDir().toAbsolutePath().normalize().resolve("postgres").toString();
        long postmaster = ProcessHandle.allProcesses()
                .filter(p -> CpuUse.commandLine(p).contains(pgData) && CpuUse.commandLine(p).contains("bin/postgres"))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-2);
        return List.of(
                new CpuUse.Group("server JVM", p -> p.pid() == serverPid),
                new CpuUse.Group("PostgreSQL", p -> p.pid() == postmaster || CpuUse.isDescendantOf(p, postmaster)),
                new CpuUse.Group("synthetic agent", p -> p.pid() == agentPid),
                new CpuUse.Group("Chromium renderer", p -> CpuUse.isDescendantOf(p, bench)
                        && CpuUse.commandLine(p).contains("--type=renderer")),
                new CpuUse.Group("Chromium other", p -> CpuUse.isDescendantOf(p, bench)
                        && CpuUse.commandLine(p).contains("chromium")),
                new CpuUse.Group("bench JVM, Playwright", p -> p.pid() == bench || CpuUse.isDescendantOf(p, bench)));
    }

    private static void printLive(List<LiveFigures> all, int seconds, int scrollSeconds) {
        System.out.printf(Locale.ROOT, "%n### Live: synthetic agent → server → browser, following the tail (%d s per rate)%n%n",
                seconds);
        System.out.println("| offered events/s | stored events/s | event → stored (server): p50 / p99 | event → page received: p50 / p95"
                + " | event → painted, every event shown: p50 / p95 / p99 / max"
                + " | event → own row painted: p50 / p95 / max (rows) | long tasks/min (max; > 200 ms)"
                + " | frame interval: median / p95 / max | not delivered | load before → after |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (LiveFigures f : all) {
            Map<String, Object> m = f.follow();
            System.out.printf(Locale.ROOT, "| %,d | %,.0f | ≤ %s / ≤ %s ms | %s / %s ms | %s / %s / %s / %s ms | %s / %s / %s ms (%,d) | %.1f (%s ms; %d) | %s / %s / %s ms | %s | %s → %s |%n",
                    f.rate(), f.storedRate(), f.ingest().path("latencyP50Ms").asString("–"),
                    f.ingest().path("latencyP99Ms").asString("–"), ms(m, "received.p50"), ms(m, "received.p95"),
                    ms(m, "delivered.p50"), ms(m, "delivered.p95"), ms(m, "delivered.p99"),
                    ms(m, "delivered.max"), ms(m, "drawn.p50"), ms(m, "drawn.p95"), ms(m, "drawn.max"),
                    (long) num(m, "drawn.count"), num(m, "longTasksPerMinute"), ms(m, "longTaskMax"),
                    (long) num(m, "longTasksOver200"), ms(m, "frames.p50"), ms(m, "frames.p95"), ms(m, "frames.max"),
                    notDelivered(String.valueOf(m.get("bufferInfo"))), f.loadBefore(), f.loadAfter());
        }
        System.out.printf(Locale.ROOT, "%n### Live: while a script scrolls the event grid (40 px a frame, %d s per rate)%n%n",
                scrollSeconds);
        System.out.println("| offered events/s | frame interval: median / p95 / p99 / max | frames > 50 ms | long tasks/min (max; > 200 ms) |");
        System.out.println("|---|---|---|---|");
        for (LiveFigures f : all) {
            Map<String, Object> m = f.scroll();
            System.out.printf(Locale.ROOT, "| %,d | %s / %s / %s / %s ms | %d of %,d | %.1f (%s ms; %d) |%n", f.rate(),
                    ms(m, "frames.p50"), ms(m, "frames.p95"), ms(m, "frames.p99"), ms(m, "frames.max"),
                    (long) num(m, "framesOver50"), (long) num(m, "frames.count"), num(m, "longTasksPerMinute"),
                    ms(m, "longTaskMax"), (long) num(m, "longTasksOver200"));
        }
        System.out.printf(Locale.ROOT, "%n### Live: CPU while following the tail (cores: 1.0 = one core busy)%n%n");
        List<String> names = new ArrayList<>(all.get(0).cores().keySet());
        System.out.println("| offered events/s | " + String.join(" | ", names) + " | whole machine (all users) |");
        System.out.println("|---|" + "---|".repeat(names.size()) + "---|");
        for (LiveFigures f : all) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %,d |", f.rate()));
            for (String n : names) {
                row.append(String.format(Locale.ROOT, " %.2f |", f.cores().get(n)));
            }
            row.append(String.format(Locale.ROOT, " %.0f %% of 2 cores |", 100 * f.machineBusy()));
            System.out.println(row);
        }
    }

    /** "1,234 not delivered to this view (too slow)" out of the page's buffer line; "0" without one. */
    private static String notDelivered(String bufferInfo) {
        Matcher m = Pattern.compile("([\\d,.\\s]+) not delivered").matcher(bufferInfo);
        return m.find() ? m.group(1).trim() : "0";
    }

    // ---- stored ------------------------------------------------------------------------------------------------

    private void stored(long count, int requests, int navigations, boolean verbose) throws Exception {
        String name = "synthetic-agent-stored-" + run;
        agent = SyntheticAgent.start(server.url(), token, name, 10);
        long session;
        try {
            awaitHost(name, "online");
            session = admin.post("/api/sessions", "{\"hosts\":[\"" + name + "\"]}").body().get("id").asLong();
            await("session " + session + " tracing", () -> "tracing".equals(hostState(session)));
            admin.post("/api/sessions/" + session + "/stop", "");
            await("session " + session + " stopped", () -> "stopped".equals(admin.get("/api/sessions/" + session)
                    .body().get("state").asString()));
        } finally {
            stopAgent();
        }
        Matcher m = JDBC_URL.matcher(server.logText());
        if (!m.find()) {
            throw new IllegalStateException("no JDBC URL in the server log");
        }
        StoredSessionFill.Result fill = StoredSessionFill.fill(m.group(1), session, name, count);
        System.err.println("bench: " + fill);

        String api = "/api/sessions/" + session;
        Timing firstPage = timeRequests(api + "/events?limit=500", requests);
        long packet = count / 6 / 2;
        Timing path = timeRequests(api + "/events?host=" + name + "&packet=" + packet + "&limit=10000", requests);

        List<Double> painted = new ArrayList<>();
        List<Double> browserTtfb = new ArrayList<>();
        for (int i = 0; i < navigations; i++) {
            if (i == 0) { // the first visit: nothing of the dashboard in the browser's cache
                com.microsoft.playwright.CDPSession cdp = page.context().newCDPSession(page);
                cdp.send("Network.clearBrowserCache");
                cdp.detach();
            }
            page.navigate(url("/sessions/" + session + "?tz=utc"));
            page.waitForFunction("() => window.__skbtrailBench.firstRowPainted() !== null");
            painted.add(((Number) page.evaluate("() => window.__skbtrailBench.firstRowPainted()")).doubleValue());
            if (verbose) {
                System.err.println("bench: navigation " + i + ": " + page.evaluate("""
                        () => JSON.stringify({
                          navigation: performance.getEntriesByType('navigation').map(e => ({
                            ttfb: e.responseStart, domInteractive: e.domInteractive,
                            domContentLoaded: e.domContentLoadedEventEnd, load: e.loadEventEnd })),
                          resources: performance.getEntriesByType('resource').map(e =>
                            e.name.replace(location.origin, '') + ' ' + e.startTime.toFixed(0) + '→'
                            + e.responseEnd.toFixed(0)),
                          longTasks: window.__skbtrailBench.longTasksSinceNavigation(),
                          firstRow: window.__skbtrailBench.firstRowPainted() })"""));
            }
            Object r = page.evaluate("() => window.__skbtrailBench.resource('/events?')");
            if (r instanceof Map<?, ?> timing) {
                browserTtfb.add(((Number) timing.get("ttfb")).doubleValue());
            }
        }
        List<Double> pathPainted = new ArrayList<>();
        for (int i = 0; i < Math.min(navigations, 5); i++) {
            pathPainted.add(((Number) page.evaluate("""
                    async index => {
                      const row = document.querySelector('#event-rows .grid-row[data-index="' + index + '"]');
                      const t0 = performance.now();
                      row.click();
                      while (!document.querySelector('#waterfall li.hop')) {
                        await new Promise(r => setTimeout(r, 1));
                      }
                      await window.__skbtrailBench.afterPaint();
                      const took = performance.now() - t0;
                      document.getElementById('path-close').click();
                      await new Promise(r => setTimeout(r, 50));
                      return took;
                    }""", i * 6)).doubleValue());
        }

        System.out.printf(Locale.ROOT, "%n### Stored session of %,d events (filled with SQL generate_series into its partition:"
                + " %s)%n%n", count, fill.describe());
        System.out.println("| measure | median | p95 | max | n | target |");
        System.out.println("|---|---|---|---|---|---|");
        row("first events page (500), API time to first byte, warm", firstPage.ttfb(), requests, "≤ 100 ms");
        row("first events page (500), API whole response (" + firstPage.bytes / 1024 + " KiB)", firstPage.total(), requests, "");
        row("session page, first visit (browser cache emptied): navigation → first rows painted", painted.subList(0, 1),
                1, "");
        row("session page, visited before: navigation → first rows painted", painted.subList(1, painted.size()),
                painted.size() - 1, "≤ 300 ms");
        row("session page: its events request, time to first byte in the browser", browserTtfb, browserTtfb.size(), "");
        row("one packet's path (" + path.events + " events), API whole response", path.total(), requests, "≤ 100 ms");
        row("click on a row → its path painted", pathPainted, pathPainted.size(), "");
        System.out.printf(Locale.ROOT, "%nload average after: %s%n", CpuUse.loadAverage());
    }

    private static void row(String what, List<Double> values, int n, String target) {
        List<Double> s = new ArrayList<>(values);
        s.sort(Double::compare);
        if (s.isEmpty()) {
            System.out.printf("| %s | – | – | – | 0 | %s |%n", what, target);
            return;
        }
        System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.1f ms | %d | %s |%n", what, s.get(s.size() / 2),
                s.get(Math.min(s.size() - 1, (int) Math.floor(0.95 * s.size()))), s.get(s.size() - 1), n, target);
    }

    /** Request timings: headers received (time to first byte) and body complete, ms; the last body's size. */
    private record Timing(List<Double> ttfb, List<Double> total, long bytes, int events) {}

    private Timing timeRequests(String path, int n) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + ServerProcess.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", auth)
                .header("Accept", "application/json").GET().build();
        List<Double> ttfb = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        long bytes = 0;
        int events = 0;
        for (int i = -20; i < n; i++) { // twenty warm-up requests
            long start = System.nanoTime();
            long[] headers = new long[1];
            HttpResponse<byte[]> r = http.send(request, info -> {
                headers[0] = System.nanoTime();
                return HttpResponse.BodySubscribers.ofByteArray();
            });
            long end = System.nanoTime();
            if (r.statusCode() != 200) {
                String log = server.logText();
                int error = Math.max(0, log.lastIndexOf(" ERROR "));
                throw new IllegalStateException(path + ": HTTP " + r.statusCode() + "; the server's last error:\n"
                        + log.substring(error, Math.min(log.length(), error + 3000)));
            }
            if (i >= 0) {
                ttfb.add((headers[0] - start) / 1e6);
                total.add((end - start) / 1e6);
            }
            bytes = r.body().length;
            String body = new String(r.body(), StandardCharsets.UTF_8);
            events = body.split("\"type\":\"event\"", -1).length - 1;
        }
        return new Timing(ttfb, total, bytes, events);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private long storedEvents(long session) throws IOException, InterruptedException {
        return admin.get("/api/sessions/" + session).body().get("events").asLong();
    }

    private String hostState(long session) throws IOException, InterruptedException {
        JsonNode hosts = admin.get("/api/sessions/" + session).body().get("hosts");
        return hosts.isEmpty() ? null : hosts.get(0).get("state").asString();
    }

    private void awaitHost(String name, String state) throws Exception {
        await(name + " " + state, () -> {
            for (JsonNode h : admin.get("/api/hosts").body()) {
                if (h.get("name").asString().equals(name) && h.get("state").asString().equals(state)) {
                    return true;
                }
            }
            return false;
        });
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within 90 s: " + what);
            }
            Thread.sleep(100);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> figures(Object evaluated) {
        return (Map<String, Object>) evaluated;
    }

    /** A figure by dotted path ("delivered.p95"); NaN when absent. */
    @SuppressWarnings("unchecked")
    private static double num(Map<String, Object> m, String path) {
        Object v = m;
        for (String part : path.split("\\.")) {
            if (!(v instanceof Map<?, ?> map)) {
                return Double.NaN;
            }
            v = ((Map<String, Object>) map).get(part);
        }
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String ms(Map<String, Object> m, String path) {
        double v = num(m, path);
        return Double.isNaN(v) ? "–" : v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DashboardBench.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)));
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
