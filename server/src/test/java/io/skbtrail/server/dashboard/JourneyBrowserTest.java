package io.skbtrail.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.skbtrail.server.fleet.Api;
import io.skbtrail.server.fleet.Fleet;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The journey pages in a real browser against a real server and three real agent processes, each watching one
 * network namespace ({@link Fleet}: h1 → router h2 → h3, whose iptables drops UDP to port 9999). One session
 * traces real datagrams: two from h1 that reach a socket on h3, two from h1 that h3's firewall drops, and one
 * from the router h2 to h3's socket. In Chromium: the list, its filters in the URL, one dropped journey as three
 * lanes with the wire between them, its NDJSON, the way from a packet in the session view to its journey, and
 * the pages through a share link until it is revoked.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JourneyBrowserTest extends FleetBrowserTest {
    private static final int DELIVERED_PORT = 7000;
    private static final String ROUTER_H3_SIDE = "10.231.42.1";
    private static final LocatorAssertions.ContainsTextOptions SLOW = new LocatorAssertions.ContainsTextOptions()
            .setTimeout(30_000);

    private static BrowserContext context;
    private static Page page;
    private static long session;
    private static String droppedJourney;

    @BeforeAll
    static void start() throws Exception {
        context = chromium.newContext(false);
        page = context.newPage();
        page.setDefaultTimeout(15_000);
        signInAsAdmin(page);
        session = traceTheFiveDatagrams();
    }

    /** The session's traffic, sent and stored before any page is opened; the session is stopped (its join complete). */
    private static long traceTheFiveDatagrams() throws Exception {
        Api.Response created = fleet.admin.post("/api/sessions", "{\"filter\":\"udp and (port " + Fleet.DROPPED_PORT
                + " or port " + DELIVERED_PORT + ")\",\"labels\":{\"run\":\"" + fleet.run + "\"},"
                + "\"options\":{\"output-packet-bytes\":64}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long id = created.body().get("id").asLong();
        fleet.awaitTracing(id, List.of("h1", "h2", "h3"));
        fleet.exec("h3", "(timeout 60 socat -u UDP-RECV:" + DELIVERED_PORT + " /dev/null >/dev/null 2>&1 &)");
        fleet.exec("h3", "for i in $(seq 50); do ss -lnu | grep -q :" + DELIVERED_PORT + " && break; sleep 0.1; done");
        for (int i = 1; i <= 2; i++) {
            fleet.exec("h1", "printf delivered-" + i + " > /dev/udp/" + Fleet.H3_ADDRESS + "/" + DELIVERED_PORT);
            Thread.sleep(100);
        }
        fleet.sendDropped(2);
        fleet.exec("h2", "printf from-the-router > /dev/udp/" + Fleet.H3_ADDRESS + "/" + DELIVERED_PORT);
        fleet.await("the datagrams stored on h3", Duration.ofSeconds(30), () ->
                fleet.events(id, "h3", "func=net:netif_receive_skb&dport=" + DELIVERED_PORT).size() >= 3
                        && fleet.events(id, "h3", "dropReason=*").size() >= 2);
        assertThat(fleet.admin.post("/api/sessions/" + id + "/stop", "").status()).isEqualTo(202);
        fleet.await("session " + id + " stopped", Duration.ofSeconds(30),
                () -> fleet.session(id).get("state").asString().equals("stopped"));
        return id;
    }

    private static String name(String role) {
        return fleet.hostName(role);
    }

    private static Locator rows(Page p) {
        return p.locator("#journeys tbody tr");
    }

    @Test
    @Order(1)
    void theSessionsJourneysListEachPacketWithItsStateAndHostsInOrder() {
        page.navigate(url("/sessions/" + session));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Journeys across hosts")).click();
        assertThat(page).hasURL(Pattern.compile("/sessions/" + session + "/journeys$"));
        assertThat(rows(page)).hasCount(5);
        String allThree = name("h1") + " → " + name("h2") + " → " + name("h3");
        Locator dropped = rows(page).filter(new Locator.FilterOptions().setHasText("NETFILTER_DROP"));
        assertThat(dropped).hasCount(2);
        for (int i = 0; i < 2; i++) {
            assertThat(dropped.nth(i)).containsText("dropped");
            assertThat(dropped.nth(i)).containsText(allThree);
            assertThat(dropped.nth(i)).containsText("NETFILTER_DROP on " + name("h3"));
            assertThat(dropped.nth(i)).containsText("→ " + Fleet.H3_ADDRESS + ":" + Fleet.DROPPED_PORT + " udp");
        }
        Locator delivered = rows(page).filter(new Locator.FilterOptions().setHasText(":" + DELIVERED_PORT + " udp"));
        assertThat(delivered).hasCount(3);
        assertThat(delivered.filter(new Locator.FilterOptions().setHasText(allThree))).hasCount(2);
        assertThat(delivered.filter(new Locator.FilterOptions().setHasText("delivered"))).hasCount(3);
        assertThat(page.locator("#join-status")).containsText("stored events joined into 5 journeys");
        assertAccessible(page, "the journeys list");
        Chromium.screenshot(page, "journeys");
    }

    @Test
    @Order(2)
    void filteringByStateAndHostPairNarrowsTheListAndStaysInTheUrl() {
        page.navigate(url("/sessions/" + session + "/journeys"));
        assertThat(rows(page)).hasCount(5);
        page.getByLabel("State").selectOption("dropped");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
        assertThat(page).hasURL(Pattern.compile("\\?state=dropped$"));
        assertThat(rows(page)).hasCount(2);
        page.reload();
        assertThat(page.getByLabel("State")).hasValue("dropped");
        assertThat(rows(page)).hasCount(2);

        // the host pair h1 then h3 leaves out the datagram the router sent
        page.getByLabel("State").selectOption("");
        page.getByLabel("Through host").selectOption(name("h1"));
        page.getByLabel("… and then host").selectOption(name("h3"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
        assertThat(page).hasURL(Pattern.compile("host=" + name("h1") + "&host2=" + name("h3")));
        assertThat(rows(page)).hasCount(4);
        assertThat(rows(page).filter(new Locator.FilterOptions().setHasText(ROUTER_H3_SIDE))).hasCount(0);
        page.reload();
        assertThat(page.getByLabel("… and then host")).hasValue(name("h3"));
        assertThat(rows(page)).hasCount(4);

        // the other way round nothing passes: the empty list says why and offers to clear
        page.navigate(url("/sessions/" + session + "/journeys?host=" + name("h3") + "&host2=" + name("h1")));
        assertThat(rows(page)).hasCount(0);
        assertThat(page.locator("#empty")).containsText("No journey matches these filters (the session has 5 in all)");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Clear the filters")).click();
        assertThat(page).hasURL(Pattern.compile("/journeys$"));
        assertThat(rows(page)).hasCount(5);

        // a reason the API knows nothing of is not an error, a bad state is the API's problem, shown at its field
        page.navigate(url("/sessions/" + session + "/journeys?state=lost"));
        assertThat(page.locator("#filter-error")).containsText("State: one of delivered, forwarded, dropped, unknown");
    }

    @Test
    @Order(3)
    void aDroppedJourneyShowsThreeLanesTheWireBetweenThemAndTheDropOnH3() {
        page.navigate(url("/sessions/" + session + "/journeys?state=dropped"));
        Locator link = rows(page).first().locator("a").first();
        droppedJourney = link.textContent();
        link.focus(); // by keyboard
        page.keyboard().press("Enter");
        assertThat(page).hasURL(Pattern.compile("/sessions/" + session + "/journeys/" + droppedJourney.replace(".", "\\.") + "$"));
        assertThat(page.locator("#state")).hasText("dropped");

        Locator lanes = page.locator("#swimlanes .swim-row.lane");
        assertThat(lanes).hasCount(3);
        assertThat(lanes.nth(0).locator(".lane-host")).hasText(name("h1"));
        assertThat(lanes.nth(1).locator(".lane-host")).hasText(name("h2"));
        assertThat(lanes.nth(2).locator(".lane-host")).hasText(name("h3"));
        assertThat(lanes.nth(2)).hasClass(Pattern.compile("has-drop"));
        assertThat(lanes.nth(2)).containsText("NETFILTER_DROP");
        assertThat(page.locator("#swimlanes .has-drop")).hasCount(1);
        assertThat(page.locator("#outcome")).containsText("Dropped on " + name("h3") + ": NETFILTER_DROP");

        Locator wires = page.locator("#swimlanes .swim-row.wire");
        assertThat(wires).hasCount(2);
        assertThat(wires.nth(0)).containsText("wire " + name("h1") + " → " + name("h2"));
        assertThat(wires.nth(1)).containsText("wire " + name("h2") + " → " + name("h3"));
        for (int i = 0; i < 2; i++) {
            assertThat(wires.nth(i).locator(".wire-caption")).hasText(Pattern.compile("^\\d[\\d.]* [nµm]?s on the wire ± "));
        }
        for (String role : List.of("h1", "h2", "h3")) {
            assertThat(lanes.nth(List.of("h1", "h2", "h3").indexOf(role))).containsText("clock ");
        }

        // the same as text: one table per lane, the drop row on h3's, and each wire hop
        Locator tables = page.locator("#steps table.steps");
        assertThat(tables).hasCount(3);
        assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName(
                Pattern.compile("^" + name("h3") + " · packet ")))).hasCount(1);
        assertThat(tables.nth(2).locator("tr.drop")).containsText("NETFILTER_DROP");
        assertThat(tables.nth(0).locator("tr.drop")).hasCount(0);
        assertThat(page.locator("#steps .wire-step")).hasCount(2);
        assertThat(page.locator("#match")).containsText("Matched on");
        assertThat(page.locator("#compare")).hasAttribute("href", "/diff?left=" + session + ":" + droppedJourney);
        assertAccessible(page, "a journey");
        Chromium.screenshot(page, "journey");
    }

    @Test
    @Order(4)
    void theJourneyDownloadsAsNdjsonWithEventsFromTheThreeHostsAndAsPcapng() throws Exception {
        page.navigate(url("/sessions/" + session + "/journeys/" + droppedJourney));
        Download ndjson = page.waitForDownload(() -> page.locator("#dl-ndjson").click());
        assertThat(ndjson.suggestedFilename()).isEqualTo("skbtrail-session-" + session + "-journey-" + droppedJourney
                + ".ndjson");
        Set<String> hosts = new HashSet<>();
        boolean drop = false;
        for (String line : Files.readAllLines(ndjson.path())) {
            JsonNode event = JsonMapper.builder().build().readTree(line);
            assertThat(event.get("journey").asString()).isEqualTo(droppedJourney);
            hosts.add(event.get("host").asString());
            drop |= "NETFILTER_DROP".equals(event.get("drop_reason").asString(null));
        }
        assertThat(hosts).containsExactlyInAnyOrder(name("h1"), name("h2"), name("h3"));
        assertThat(drop).isTrue();

        assertThat(page.locator("#dl-pcapng")).isVisible();
        Download pcapng = page.waitForDownload(() -> page.locator("#dl-pcapng").click());
        byte[] bytes = Files.readAllBytes(pcapng.path());
        assertThat(java.util.Arrays.copyOf(bytes, 4)).as("a pcap-ng section header block")
                .isEqualTo(new byte[] {0x0a, 0x0d, 0x0d, 0x0a});
    }

    @Test
    @Order(5)
    void aDroppedPacketsPathInTheSessionViewFollowsItAcrossHosts() {
        page.navigate(url("/sessions/" + session + "?dropReason=*"));
        page.locator("#event-rows .grid-row.drop").first().click();
        Locator follow = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Follow this packet across hosts"));
        assertThat(follow).isVisible();
        Chromium.screenshot(page, "packet-path-follow");
        follow.click();
        assertThat(page).hasURL(Pattern.compile("/sessions/" + session + "/journeys/\\d+-\\d+$"));
        assertThat(page.locator("#state")).hasText("dropped");
        assertThat(page.locator("#swimlanes .swim-row.lane")).hasCount(3);
        assertThat(page.locator("#outcome")).containsText("Dropped on " + name("h3"));
    }

    @Test
    @Order(6)
    void aShareLinkOpensTheJourneysReadOnlyAndARevokedOneIsRefused() throws Exception {
        page.navigate(url("/sessions/" + session + "/journeys/" + droppedJourney));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Share…")).click();
        Locator link = page.getByLabel("Read-only link");
        assertThat(link).hasValue(Pattern.compile("/s/skbs_[^/?]+/journeys/" + droppedJourney.replace(".", "\\.") + "$"));
        String shareUrl = link.inputValue();
        String token = shareUrl.substring(shareUrl.indexOf("/s/") + 3, shareUrl.indexOf("/journeys/"));
        try (BrowserContext colleague = chromium.newContext(true)) {
            Page p = colleague.newPage();
            p.navigate(shareUrl);
            assertThat(p.locator(".shared-note")).hasText("Shared session, read-only");
            assertThat(p.locator("#swimlanes .swim-row.lane")).hasCount(3);
            assertThat(p.locator("#outcome")).containsText("Dropped on " + name("h3") + ": NETFILTER_DROP");
            assertThat(p.locator("#compare")).hasAttribute("href",
                    "/s/" + token + "/diff?left=" + session + ":" + droppedJourney);
            assertThat(p.locator("#dl-ndjson")).hasAttribute("href", Pattern.compile("^/api/shared/" + token + "/"));
            assertThat(p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Share…"))).hasCount(0);
            assertAccessible(p, "a shared journey (dark)");
            Chromium.screenshot(p, "journey-dark");

            p.navigate(url("/s/" + token));
            p.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Journeys across hosts")).click();
            assertThat(p).hasURL(Pattern.compile("/s/" + token + "/journeys$"));
            assertThat(rows(p)).hasCount(5);
            assertThat(p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))).hasCount(0);
            assertAccessible(p, "the shared journeys list (dark)");
            Chromium.screenshot(p, "journeys-dark");
            p.getByLabel("State").selectOption("dropped");
            p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
            assertThat(p).hasURL(Pattern.compile("/s/" + token + "/journeys\\?state=dropped$"));
            assertThat(rows(p)).hasCount(2);
            rows(p).first().locator("a").first().click();
            assertThat(p).hasURL(Pattern.compile("/s/" + token + "/journeys/\\d+-\\d+$"));
            assertThat(p.locator("#swimlanes .swim-row.lane")).hasCount(3);
        }

        assertThat(fleet.admin.delete("/api/share/" + token).status()).isEqualTo(204);
        try (BrowserContext colleague = chromium.newContext(false)) {
            Page refused = colleague.newPage();
            for (String path : List.of("/journeys", "/journeys/" + droppedJourney)) {
                com.microsoft.playwright.Response response = refused.navigate(url("/s/" + token + path));
                assertThat(response.status()).as(path).isEqualTo(404);
                assertThat(refused.getByRole(AriaRole.ALERT)).containsText("unknown, revoked or expired");
                assertThat(refused.locator("#journeys, #swimlanes")).hasCount(0);
            }
        }
    }

    @Test
    @Order(7)
    void aJourneyInTheDarkSchemeSignedInPassesAxe() {
        try (BrowserContext dark = chromium.newContext(true)) {
            Page p = dark.newPage();
            signInAsAdmin(p);
            p.navigate(url("/sessions/" + session + "/journeys/" + droppedJourney));
            assertThat(p.locator("#swimlanes .swim-row.lane")).hasCount(3);
            assertAccessible(p, "a journey (dark)");
            p.navigate(url("/sessions/" + session + "/journeys"));
            assertThat(rows(p)).hasCount(5);
            assertAccessible(p, "the journeys list (dark)");
        }
    }

    @Test
    @Order(8)
    void aRunningSessionsJourneysSayTheJoinIsIncompleteAndTheListFillsItselfAsPacketsArrive() throws Exception {
        Api.Response created = fleet.admin.post("/api/sessions", "{\"filter\":\"udp and port 7001\","
                + "\"labels\":{\"run\":\"" + fleet.run + "\"}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long running = created.body().get("id").asLong();
        fleet.awaitTracing(running, List.of("h1", "h2", "h3"));
        try {
            page.navigate(url("/sessions/" + running + "/journeys"));
            assertThat(page.locator("#empty")).containsText("the session has no stored events yet");
            assertThat(page.locator("#join-status")).containsText("The join is not complete");
            assertThat(page.locator("#join-status")).containsText("The session is still running");
            assertThat(page.locator("#join-status")).containsText("refreshes itself");

            // nothing listens on h3's port 7001: the datagram dies there for want of a socket
            fleet.exec("h1", "printf live > /dev/udp/" + Fleet.H3_ADDRESS + "/7001");
            fleet.await("the datagram stored on h3", Duration.ofSeconds(30),
                    () -> fleet.events(running, "h3", "dropReason=*").size() >= 1);
            // No click: while the join is incomplete the first page asks again by itself.
            assertThat(rows(page)).hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(30_000));
            assertThat(rows(page).first()).containsText("NO_SOCKET on " + name("h3"));
            assertThat(page.locator("#empty")).isHidden();
            assertThat(page.locator("#join-status")).containsText("The session is still running");
        } finally {
            fleet.admin.post("/api/sessions/" + running + "/stop", "");
        }
    }
}
