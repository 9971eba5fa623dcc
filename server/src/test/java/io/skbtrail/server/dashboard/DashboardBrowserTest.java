package io.skbtrail.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.skbtrail.filter.FilterException;
import io.skbtrail.filter.PcapFilterCompiler;
import io.skbtrail.server.fleet.Api;
import io.skbtrail.server.fleet.Fleet;
import io.skbtrail.server.fleet.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real browser (Debian's Chromium through Playwright) against a real server process with its
 * embedded PostgreSQL and real agent processes, each standing for a host by watching one network namespace
 * ({@link Fleet}: h1 sends UDP through h2 to h3, whose iptables drops it). What a user does, in order: sign in,
 * see the hosts, get a filter refused, trace on two namespace hosts, watch the drop arrive live, open the
 * packet's path, stop, page through the stored session, share it and revoke the link. Each main page is checked
 * with axe-core and photographed into {@code target/screenshots}.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest extends FleetBrowserTest {
    private static final LocatorAssertions.ContainsTextOptions SLOW = new LocatorAssertions.ContainsTextOptions()
            .setTimeout(30_000);

    private static BrowserContext context;
    private static Page page;
    private static final List<String> dialogs = new ArrayList<>();
    private static long session;
    private static String shareUrl;

    @BeforeAll
    static void start() throws Exception {
        context = chromium.newContext(false);
        page = context.newPage();
        page.setDefaultTimeout(15_000);
        page.onDialog(dialog -> {
            dialogs.add(dialog.message());
            dialog.dismiss();
        });
    }

    @Test
    @Order(1)
    void signingInShowsTheNamespaceHostsWithStateKernelAndBackend() {
        page.navigate(url("/"));
        assertThat(page).hasURL(Pattern.compile("/login$"));
        assertAccessible(page, "the sign-in page");
        Chromium.screenshot(page, "login");

        page.getByLabel("User name").fill("admin");
        page.getByLabel("Password").fill("wrong password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Wrong user name or password");

        page.getByLabel("User name").fill("admin");
        page.getByLabel("Password").fill(ServerProcess.ADMIN_PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page).hasURL(Pattern.compile("/(\\?continue)?$"));
        for (String role : List.of("h1", "h2", "h3")) {
            Locator row = page.locator("#hosts tbody tr", new Page.LocatorOptions().setHasText(fleet.hostName(role)));
            assertThat(row).containsText("online");
            assertThat(row).containsText("tracepoint");
        }
        assertAccessible(page, "the hosts page");
        Chromium.screenshot(page, "hosts");
    }

    @Test
    @Order(2)
    void anInvalidFilterShowsTheCompilersMessageAndArmsNothing() throws Exception {
        int sessionsBefore = fleet.admin.get("/api/sessions").body().size();
        page.navigate(url("/sessions/new"));
        String filter = "udp and prt 9999";
        page.getByLabel("Filter (tcpdump syntax)").fill(filter);
        Locator message = page.locator("#filter-message");
        assertThat(message).hasText(compilerMessage(filter));
        assertThat(page.getByLabel("Filter (tcpdump syntax)")).hasAttribute("aria-invalid", "true");

        page.getByLabel(fleet.hostName("h1")).check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start tracing")).click();
        assertThat(page.locator("#form-errors")).containsText("Filter: " + compilerMessage(filter));
        assertThat(page).hasURL(Pattern.compile("/sessions/new$"));

        // a valid filter, but no host: the API's words next to the hosts
        page.getByLabel("Filter (tcpdump syntax)").fill("udp");
        assertThat(message).containsText("The filter compiles");
        page.getByLabel(fleet.hostName("h1")).uncheck();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start tracing")).click();
        assertThat(page.locator("#hosts-message")).hasText("select hosts by name (hosts) or by label (labels)");

        // limits out of range
        page.getByLabel(fleet.hostName("h1")).check();
        page.getByLabel("Stop after (seconds)").fill("0");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start tracing")).click();
        assertThat(page.locator("#durationSeconds-message")).containsText("must be between 1 and");
        assertAccessible(page, "the filter builder with errors");
        Chromium.screenshot(page, "new-session-errors");

        assertThat(fleet.admin.get("/api/sessions").body().size()).as("no session was created").isEqualTo(sessionsBefore);
    }

    @Test
    @Order(3)
    void aTraceOnTwoNamespaceHostsShowsLiveRowsWithTheDropHighlightedAndItsReason() throws Exception {
        page.navigate(url("/sessions/new"));
        page.getByLabel("Filter (tcpdump syntax)").fill("udp and port " + Fleet.DROPPED_PORT);
        page.getByLabel(fleet.hostName("h1")).check();
        page.getByLabel(fleet.hostName("h3")).check();
        page.getByLabel("Packet bytes to keep (0–256, for pcap-ng)").fill("64");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start tracing")).click();
        page.waitForURL(Pattern.compile("/sessions/\\d+$"));
        session = Long.parseLong(page.url().substring(page.url().lastIndexOf('/') + 1));
        fleet.awaitTracing(session, List.of("h1", "h3"));
        assertThat(page.locator("#connection")).hasClass(Pattern.compile("connected"), new LocatorAssertions.HasClassOptions().setTimeout(20_000));

        fleet.sendDropped(3);
        Locator drops = page.locator("#event-rows .grid-row.drop");
        assertThat(drops.first()).containsText("NETFILTER_DROP", SLOW);
        assertThat(drops.first()).containsText(fleet.hostName("h3"));
        assertThat(page.locator("#event-rows")).containsText(fleet.hostName("h1"));
        assertThat(page.locator("#drops-by-reason")).containsText("NETFILTER_DROP", SLOW);
        fleet.await("3 drops on h3 stored", Duration.ofSeconds(20),
                () -> fleet.events(session, "h3", "dropReason=*").size() >= 3);
        assertThat(page.locator("#drops-by-reason li").first()).containsText("3", SLOW);
        assertThat(page.locator("#host-status")).containsText("tracing");
        assertAccessible(page, "the live session view");
        Chromium.screenshot(page, "session-live");
    }

    @Test
    @Order(4)
    void aDroppedPacketOpensItsPathThroughTheKernelOnThatHost() {
        page.locator("#event-rows .grid-row.drop").first().click();
        Locator panel = page.locator("#path-panel");
        assertThat(panel).isVisible();
        assertThat(page.locator("#path-title")).containsText("on " + fleet.hostName("h3"));
        assertThat(page).hasURL(Pattern.compile("pkt=" + fleet.hostName("h3") + "%3A\\d+"));
        Locator hops = panel.locator("li.hop");
        assertThat(hops.first()).isVisible();
        assertThat(hops).not().hasCount(1);
        assertThat(panel.locator("li.hop.drop").first()).containsText("NETFILTER_DROP");
        assertThat(panel.locator(".waterfall-summary")).containsText("Dropped at");
        assertAccessible(page, "the packet path");
        Chromium.screenshot(page, "packet-path");

        // by keyboard: close with Escape, then Home and Enter on the event grid open the first event's path
        page.keyboard().press("Escape");
        assertThat(panel).isHidden();
        page.locator("#event-grid").focus();
        page.keyboard().press("Home");
        page.keyboard().press("Enter");
        assertThat(panel).isVisible();
        assertThat(page.locator("#path-title")).isFocused();
    }

    @Test
    @Order(5)
    void stoppingTheSessionShowsItStored() throws Exception {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop")).click();
        assertThat(page.locator("#state")).hasText("stopped", new com.microsoft.playwright.assertions.LocatorAssertions
                .HasTextOptions().setTimeout(30_000));
        assertThat(fleet.session(session).get("state").asString()).isEqualTo("stopped");
    }

    @Test
    @Order(6)
    void theStoredSessionReopensAndPagesByCursorAndByTime() throws Exception {
        page.navigate(url("/sessions"));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Session " + session).setExact(true)).click();
        assertThat(page).hasURL(Pattern.compile("/sessions/" + session + "$"));
        assertThat(page.locator("#mode-stored")).hasAttribute("aria-pressed", "true");
        assertAccessible(page, "the session list's session, stored");

        page.navigate(url("/sessions/" + session + "?limit=10"));
        Locator rows = page.locator("#event-rows .grid-row");
        assertThat(rows).hasCount(10);
        String firstPageFirst = rows.first().locator(".cell").first().textContent();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Next page")).click();
        assertThat(page).hasURL(Pattern.compile("after="));
        assertThat(rows.first().locator(".cell").first()).not().hasText(firstPageFirst);
        JsonNode stored = fleet.admin.get("/api/sessions/" + session + "/events?limit=10").body();
        JsonNode second = fleet.admin.get("/api/sessions/" + session + "/events?limit=10&after="
                + stored.get("next").asString()).body();
        assertThat(page.locator("#event-rows")).containsText(second.get("events").get(0).get("func").asString());
        page.goBack();
        assertThat(rows.first().locator(".cell").first()).hasText(firstPageFirst);

        // by time: from the last stored event on, one page
        List<JsonNode> all = fleet.events(session, "h3", "");
        String lastTime = all.get(all.size() - 1).get("time").asString();
        page.navigate(url("/sessions/" + session + "?tz=utc&from=" + lastTime));
        assertThat(page.locator("#page-info")).containsText("the last page");
        Chromium.screenshot(page, "session-stored");
    }

    @Test
    @Order(7)
    void theViewsEventsDownloadAsNdjsonCsvAndPcapng() throws Exception {
        page.navigate(url("/sessions/" + session + "?dropReason=*"));
        long drops = fleet.events(session, "h3", "dropReason=*").size();

        com.microsoft.playwright.Download ndjson = page.waitForDownload(() -> page.locator("#dl-ndjson").click());
        assertThat(ndjson.suggestedFilename()).isEqualTo("skbtrail-session-" + session + ".ndjson");
        List<String> lines = java.nio.file.Files.readAllLines(ndjson.path());
        assertThat(lines).as("the view's filter applies: only the drops").hasSize((int) drops)
                .allMatch(l -> l.contains("\"drop_reason\":\"NETFILTER_DROP\""));

        com.microsoft.playwright.Download csv = page.waitForDownload(() -> page.locator("#dl-csv").click());
        List<String> rows = java.nio.file.Files.readAllLines(csv.path());
        assertThat(rows.get(0)).startsWith("time,host,session");
        assertThat(rows).hasSize((int) drops + 1);

        com.microsoft.playwright.Download pcapng = page.waitForDownload(() -> page.locator("#dl-pcapng").click());
        byte[] bytes = java.nio.file.Files.readAllBytes(pcapng.path());
        assertThat(java.util.Arrays.copyOf(bytes, 4)).as("a pcap-ng section header block")
                .isEqualTo(new byte[] {0x0a, 0x0d, 0x0d, 0x0a});
    }

    @Test
    @Order(8)
    void aShareLinkOpensTheSessionReadOnlyWithoutLoginUntilRevoked() throws Exception {
        page.navigate(url("/sessions/" + session + "?dropReason=*"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Share…")).click();
        Locator link = page.getByLabel("Read-only link");
        assertThat(link).hasValue(Pattern.compile("/s/skbs_[^?]+\\?dropReason=\\*$"));
        shareUrl = link.inputValue();

        try (BrowserContext colleague = chromium.newContext(true)) {
            Page shared = colleague.newPage();
            shared.navigate(shareUrl);
            assertThat(shared.locator(".shared-note")).hasText("Shared session, read-only");
            assertThat(shared.locator("#event-rows .grid-row.drop").first()).containsText("NETFILTER_DROP");
            assertThat(shared.locator("#event-rows .grid-row")).hasCount(3);
            assertThat(shared.locator("#event-rows .grid-row.drop")).hasCount(3);
            assertThat(shared.getByLabel("Drop reason")).hasValue("*");
            assertThat(shared.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop"))).hasCount(0);
            assertThat(shared.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Share…"))).hasCount(0);
            assertThat(shared.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))).hasCount(0);
            shared.locator("#event-rows .grid-row.drop").first().click();
            assertThat(shared.locator("#path-panel li.hop.drop").first()).containsText("NETFILTER_DROP");
            assertAccessible(shared, "the shared session view (dark)");
            Chromium.screenshot(shared, "shared-session-dark");
        }

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Revoke").setExact(true)).first().click();
        assertThat(page.locator("#share-status")).containsText("Link revoked");
        try (BrowserContext colleague = chromium.newContext(false)) {
            Page refused = colleague.newPage();
            com.microsoft.playwright.Response response = refused.navigate(shareUrl);
            assertThat(response.status()).isEqualTo(404);
            assertThat(refused.getByRole(AriaRole.ALERT)).containsText("unknown, revoked or expired");
            assertThat(refused.locator("#event-grid")).hasCount(0);
        }
        String token = shareUrl.substring(shareUrl.lastIndexOf('/') + 1, shareUrl.indexOf('?'));
        java.net.http.HttpResponse<String> data = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/api/shared/" + token + "/events"))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(data.statusCode()).as("the link's data is refused too: " + data.body()).isEqualTo(404);
    }

    @Test
    @Order(9)
    void hostProvidedStringsRenderAsTextNotMarkup() throws Exception {
        try (ScriptedHostileAgent agent = new ScriptedHostileAgent(fleet.server.port(), fleet.token)) {
            Api.Response created = fleet.admin.post("/api/sessions",
                    "{\"filter\":\"tcp\",\"hosts\":[\"" + ScriptedHostileAgent.NAME + "\"]}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            long hostile = created.body().get("id").asLong();
            agent.traceOnePacket(hostile);

            page.navigate(url("/"));
            Locator row = page.locator("#hosts tbody tr", new Page.LocatorOptions().setHasText(ScriptedHostileAgent.NAME));
            assertThat(row).containsText("note=" + ScriptedHostileAgent.HOSTILE);
            assertThat(row).containsText(ScriptedHostileAgent.HOSTILE);

            page.navigate(url("/sessions/" + hostile + "?from=2000-01-01T00:00:00Z"));
            Locator cells = page.locator("#event-rows .grid-row .cell", new Page.LocatorOptions()
                    .setHasText(ScriptedHostileAgent.HOSTILE));
            assertThat(cells.first()).isVisible();
            page.locator("#event-rows .grid-row.drop").first().click();
            assertThat(page.locator("#path-panel")).containsText("Dropped: NO_SOCKET in " + ScriptedHostileAgent.HOSTILE);
            assertThat(page.locator("#path-panel .hop-func").nth(1)).hasText(ScriptedHostileAgent.HOSTILE);
            Chromium.screenshot(page, "hostile-strings");

            assertThat(page.locator("main img")).hasCount(0);
            assertThat(dialogs).as("no script ran from host-provided text").isEmpty();
            fleet.admin.post("/api/sessions/" + hostile + "/stop", "");
        }
    }

    @Test
    @Order(10)
    void aSelectedHostThatIsOfflineIsAnnouncedWithItsReason() throws Exception {
        page.navigate(url("/sessions/new"));
        page.getByLabel("Filter (tcpdump syntax)").fill("icmp");
        page.getByLabel(ScriptedHostileAgent.NAME).check();
        page.getByLabel(fleet.hostName("h2")).check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start tracing")).click();
        page.waitForURL(Pattern.compile("/sessions/\\d+$"));
        long id = Long.parseLong(page.url().substring(page.url().lastIndexOf('/') + 1));
        assertThat(page.locator("#host-problems")).containsText(
                ScriptedHostileAgent.NAME + " is offline: agent not connected; joins when it connects");
        assertThat(page.locator("#host-status")).containsText("tracing", SLOW);
        fleet.admin.post("/api/sessions/" + id + "/stop", "");
    }

    @Test
    @Order(11)
    void theSessionListAndTheDarkSchemeAt1280PixelsPassAxe() {
        page.navigate(url("/sessions"));
        assertThat(page.locator("#sessions tbody tr").first()).isVisible();
        assertAccessible(page, "the session list");
        Chromium.screenshot(page, "sessions");
        try (BrowserContext dark = chromium.newContext(true)) {
            Page p = dark.newPage();
            p.navigate(url("/login"));
            p.getByLabel("User name").fill("admin");
            p.getByLabel("Password").fill(ServerProcess.ADMIN_PASSWORD);
            p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
            p.navigate(url("/sessions/" + session + "?pkt="));
            assertThat(p.locator("#event-rows .grid-row").first()).isVisible();
            assertAccessible(p, "the stored session view (dark)");
            Chromium.screenshot(p, "session-stored-dark");
            p.navigate(url("/sessions/new"));
            assertThat(p.locator("#host-picker tbody tr").first()).isVisible();
            assertAccessible(p, "the filter builder (dark)");
            Chromium.screenshot(p, "new-session-dark");
        }
    }

    private static String compilerMessage(String filter) {
        try {
            PcapFilterCompiler.compile(filter);
            throw new AssertionError("compiles: " + filter);
        } catch (FilterException e) {
            return e.getMessage();
        }
    }
}
