package io.skbtrail.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import io.skbtrail.server.fleet.Api;
import io.skbtrail.server.fleet.Fleet;
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
 * The diff page in a real browser against a real server process and real agent processes on namespace hosts
 * ({@link Fleet}: h1 sends UDP through the router h2 to h3). Two sessions of the same datagrams, before and after a
 * DROP rule on the router: the session diff shows the flow dropped on one side only, the path diff of one packet
 * from each lines the paths up and marks where they part; two hosts of one session compare; the view survives a
 * reload; a share link compares within its session until revoked; a side traced with kprobes (a scripted stand-in:
 * this kernel may not allow them) gets the notice instead of false differences.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiffBrowserTest extends FleetBrowserTest {
    private static final int PORT = 7003;

    private static BrowserContext light;
    private static BrowserContext dark;
    private static Page page;
    private static Page darkPage;
    private static final List<String> dialogs = new ArrayList<>();
    private static long before;
    private static long after;

    @BeforeAll
    static void start() throws Exception {
        light = chromium.newContext(false);
        dark = chromium.newContext(true);
        page = signedIn(light);
        darkPage = signedIn(dark);
        fleet.exec("h3", "(timeout 120 socat -u UDP-RECV:" + PORT + " /dev/null >/dev/null 2>&1 &)");
        fleet.exec("h3", "for i in $(seq 50); do ss -lnu | grep -q :" + PORT + " && break; sleep 0.1; done");
        before = traceThreeDatagrams("before");
        fleet.exec("h2", "iptables -w 10 -I FORWARD -p udp --dport " + PORT + " -j DROP");
        try {
            after = traceThreeDatagrams("after");
        } finally {
            fleet.exec("h2", "iptables -w 10 -D FORWARD -p udp --dport " + PORT + " -j DROP");
        }
    }

    private static Page signedIn(BrowserContext context) {
        Page p = context.newPage();
        p.setDefaultTimeout(20_000);
        p.onDialog(dialog -> {
            dialogs.add(dialog.message());
            dialog.dismiss();
        });
        signInAsAdmin(p);
        return p;
    }

    /** A session on the three hosts while h1 sends three datagrams to h3; stopped once they are stored. */
    private static long traceThreeDatagrams(String label) throws Exception {
        Api.Response r = fleet.admin.post("/api/sessions", "{\"filter\":\"udp and port " + PORT + "\",\"labels\":{\"run\":\""
                + fleet.run + "\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        long session = r.body().get("id").asLong();
        fleet.awaitTracing(session, List.of("h1", "h2", "h3"));
        for (int i = 1; i <= 3; i++) {
            fleet.exec("h1", "printf " + label + "-" + i + " > /dev/udp/" + Fleet.H3_ADDRESS + "/" + PORT);
            Thread.sleep(100);
        }
        String role = label.equals("before") ? "h3" : "h2";
        String query = label.equals("before") ? "func=net:netif_receive_skb" : "dropReason=NETFILTER_DROP";
        fleet.await("3 datagrams stored on " + role, Duration.ofSeconds(30),
                () -> fleet.events(session, role, query).size() >= 3);
        fleet.stopAndAwait(session);
        return session;
    }

    private static Locator flow(Page p) {
        return p.locator("article.flow-diff", new Page.LocatorOptions().setHasText(":" + PORT));
    }

    /** The journeys of the session towards the port, as diff sides ({@code session:journey}). */
    private static List<String> journeysTo(long session) throws Exception {
        List<String> sides = new ArrayList<>();
        for (JsonNode j : fleet.admin.get("/api/sessions/" + session + "/journeys?limit=100").body().get("journeys")) {
            if (j.get("flow") != null && !j.get("flow").isNull() && j.get("flow").get("dport").asInt() == PORT) {
                sides.add(session + ":" + j.get("id").asString());
            }
        }
        assertThat(sides).as("journeys to port " + PORT + " in session " + session).isNotEmpty();
        return sides;
    }

    /**
     * A delivered datagram of the first session and a dropped one of the second whose paths are the same up to the
     * router. Not any two: the sender frees some datagrams once sent (skb:consume_skb) and not others, which is a
     * real difference too, before the drop.
     */
    private static String[] packetsThatPartOnlyAtTheDrop() throws Exception {
        for (String delivered : journeysTo(before)) {
            for (String dropped : journeysTo(after)) {
                JsonNode d = fleet.admin.get("/api/diff?left=" + delivered + "&right=" + dropped).body();
                JsonNode right = d.get("firstDivergence").get("right");
                if (right != null && !right.isNull() && right.get("point").asString().equals("skb:kfree_skb(NETFILTER_DROP)")) {
                    return new String[] {delivered, dropped};
                }
            }
        }
        throw new AssertionError("no delivered and dropped datagram part only at the drop");
    }

    @Test
    @Order(1)
    void twoSessionsChosenInTheFormShowTheFlowDroppedOnOneSideOnly() {
        page.navigate(url("/sessions"));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Compare").setExact(true)).click();
        assertThat(page).hasURL(Pattern.compile("/diff$"));
        page.locator("#left-session").selectOption(String.valueOf(before));
        page.locator("#right-session").selectOption(String.valueOf(after));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Compare").setExact(true)).click();
        assertThat(page).hasURL(Pattern.compile("/diff\\?left=" + before + "&right=" + after + "$"));

        Locator summary = page.locator("#summary");
        assertThat(summary).containsText("First difference");
        assertThat(summary).containsText("right net:netif_receive_skb on " + fleet.hostName("h2")
                + " → skb:kfree_skb (NETFILTER_DROP) on " + fleet.hostName("h2"));
        Locator flow = flow(page);
        assertThat(flow).hasCount(1);
        assertThat(flow.locator(".badge")).hasText("differs");
        assertThat(flow.locator(".flow-counts")).containsText("delivered 3");
        assertThat(flow.locator(".flow-counts")).containsText("dropped 3");
        Locator rightOnly = flow.locator(".only.right", new Locator.LocatorOptions().setHasText("Probe points only on the right"));
        assertThat(rightOnly).containsText("skb:kfree_skb (NETFILTER_DROP) on " + fleet.hostName("h2") + " — 3 packets");
        assertThat(flow.locator(".only.left").first()).containsText(fleet.hostName("h3"));
        assertThat(flow.locator(".only.right", new Locator.LocatorOptions().setHasText("Drop reasons only on the right")))
                .containsText("NETFILTER_DROP");
        assertThat(flow.locator(".only.left", new Locator.LocatorOptions().setHasText("Drop reasons only on the left")))
                .hasCount(0);
        Locator firstRow = flow.locator("tr.first-divergence");
        assertThat(firstRow).isVisible();
        assertThat(firstRow).containsText("NETFILTER_DROP");
        assertThat(firstRow).containsText("first difference");
        assertAccessible(page, "the session diff");
        Chromium.screenshot(page, "diff-sessions");

        // filtered, then reloaded: the URL keeps the sides and the filter
        page.getByLabel("Filter flows").fill("no-such-flow");
        assertThat(flow).isHidden();
        assertThat(page.locator("#flow-count")).hasText("0 of 1 flow");
        page.getByLabel("Filter flows").fill("netfilter_drop");
        assertThat(flow).isVisible();
        page.getByLabel("only flows that differ").check();
        assertThat(page).hasURL(Pattern.compile("q=netfilter_drop&differing=1$"));
        page.reload();
        assertThat(page.getByLabel("Filter flows")).hasValue("netfilter_drop");
        assertThat(page.getByLabel("only flows that differ")).isChecked();
        assertThat(page.locator("#left-session")).hasValue(String.valueOf(before));
        assertThat(page.locator("#right-session")).hasValue(String.valueOf(after));
        assertThat(flow(page).locator("tr.first-divergence")).containsText("NETFILTER_DROP");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Swap sides")).click();
        assertThat(page).hasURL(Pattern.compile("left=" + after + "&right=" + before));
        assertThat(page.locator("#summary")).containsText("left net:netif_receive_skb on " + fleet.hostName("h2")
                + " → skb:kfree_skb (NETFILTER_DROP)");

        darkPage.navigate(url("/diff?left=" + before + "&right=" + after));
        assertThat(flow(darkPage).locator("tr.first-divergence")).isVisible();
        assertAccessible(darkPage, "the session diff (dark)");
        Chromium.screenshot(darkPage, "diff-sessions-dark");
    }

    @Test
    @Order(2)
    void onePacketOfEachSessionIsAlignedWithTheFirstDivergenceAtTheDrop() throws Exception {
        String[] pair = packetsThatPartOnlyAtTheDrop();
        String delivered = pair[0];
        String dropped = pair[1];
        page.navigate(url("/diff?left=" + delivered));
        assertThat(page.getByLabel("Or a packet or journey").first()).hasValue(delivered);
        assertThat(page.locator("#diff-status")).hasText("Choose the right side to compare with, then press Compare.");
        assertThat(page.locator("#right-session")).isFocused();
        page.locator("#right-ref").fill(dropped);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Compare").setExact(true)).click();

        Locator rows = page.locator("#path-rows tbody tr");
        Locator first = page.locator("#path-rows tr.first-divergence");
        assertThat(first).hasCount(1);
        assertThat(first.locator("td").nth(4)).containsText("skb:kfree_skb");
        assertThat(first.locator("td").nth(4)).containsText("NETFILTER_DROP");
        assertThat(first.locator("td").nth(5)).hasText(fleet.hostName("h2"));
        assertThat(first.locator("td").nth(0)).containsText("net:net_dev_queue");
        int step = Integer.parseInt(first.locator("th").textContent().trim());
        assertThat(page.locator("#summary")).containsText("First difference: step " + step + " — left net:netif_receive_skb on "
                + fleet.hostName("h2") + " → net:net_dev_queue on " + fleet.hostName("h2") + ", right net:netif_receive_skb on "
                + fleet.hostName("h2") + " → skb:kfree_skb (NETFILTER_DROP) on " + fleet.hostName("h2"));
        // aligned as sequences: everything before the drop pairs up, h1's and h2's points on the same rows
        for (int i = 0; i < step - 1; i++) {
            assertThat(rows.nth(i)).hasClass(Pattern.compile("diff-same"));
        }
        assertThat(rows.first().locator("td").nth(1)).hasText(fleet.hostName("h1"));
        assertThat(rows.first().locator("td").nth(5)).hasText(fleet.hostName("h1"));
        assertThat(rows.first().locator("td").nth(2)).hasText("+0 ns");
        assertThat(page.locator("#path-rows")).containsText(fleet.hostName("h3"));
        assertThat(page.locator("#sides")).containsText("delivered");
        assertThat(page.locator("#sides")).containsText("dropped on " + fleet.hostName("h2") + ": NETFILTER_DROP");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show it")).click();
        assertThat(first).isFocused();
        assertAccessible(page, "the path diff");
        Chromium.screenshot(page, "diff-paths");

        darkPage.navigate(page.url());
        assertThat(darkPage.locator("#path-rows tr.first-divergence")).containsText("NETFILTER_DROP");
        assertAccessible(darkPage, "the path diff (dark)");
        Chromium.screenshot(darkPage, "diff-paths-dark");

        page.goBack();
        assertThat(page.locator("#result")).isHidden();
        assertThat(page.locator("#left-ref")).hasValue(delivered);
    }

    @Test
    @Order(3)
    void theSessionPageComparesTwoOfItsHostsAndOnePacketWithAnother() {
        page.navigate(url("/sessions/" + after));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Compare two hosts…")).click();
        assertThat(page).hasURL(Pattern.compile("/diff\\?left=" + after + "%40[^&]+&right=" + after + "%40"));
        // the router against the sender: the sender passed every datagram on, the router dropped them
        page.locator("#left-host").selectOption(fleet.hostName("h1"));
        page.locator("#right-host").selectOption(fleet.hostName("h2"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Compare").setExact(true)).click();
        assertThat(page).hasURL(Pattern.compile("left=" + after + "%40" + fleet.hostName("h1") + "&right=" + after + "%40"
                + fleet.hostName("h2")));
        assertThat(page.locator("#sides")).containsText("Left: session " + after + ", host " + fleet.hostName("h1"));
        Locator flow = flow(page);
        assertThat(flow.locator(".flow-counts")).containsText("passed 3");
        assertThat(flow.locator(".flow-counts")).containsText("dropped 3");
        assertThat(flow.locator(".only.right", new Locator.LocatorOptions().setHasText("Drop reasons only on the right")))
                .containsText("NETFILTER_DROP");
        assertAccessible(page, "two hosts of a session");
        Chromium.screenshot(page, "diff-hosts");

        // a packet's path on the session page: "Compare with another packet" opens the form with it on the left
        page.navigate(url("/sessions/" + after + "?host=" + fleet.hostName("h2") + "&dropReason=*"));
        page.locator("#event-rows .grid-row.drop").first().click();
        Locator compare = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Compare with another packet"));
        String href = compare.getAttribute("href");
        assertThat(href).matches("/diff\\?left=" + after + "%3A" + fleet.hostName("h2") + "%3A\\d+");
        compare.click();
        assertThat(page.locator("#left-ref")).hasValue(Pattern.compile(after + ":" + fleet.hostName("h2") + ":\\d+"));
        assertThat(page.locator("#result")).isHidden();
    }

    @Test
    @Order(4)
    void aProblemFromTheApiIsShownNextToItsSideWithWhatToDo() {
        page.navigate(url("/diff?left=" + before + "&right=" + before + "@no-such-host"));
        assertThat(page.locator("#right-message")).containsText("\"no-such-host\" is not a host of session " + before);
        assertThat(page.locator("#right-message")).containsText(fleet.hostName("h2"));
        assertThat(page.locator("#form-errors")).containsText("Correct the side named below the form.");
        assertThat(page.locator("#result")).isHidden();

        page.navigate(url("/diff?left=987654321&right=" + before));
        assertThat(page.locator("#form-errors")).containsText("session 987654321 does not exist");
        assertThat(page.locator("#form-errors")).containsText("Choose another session");
        assertAccessible(page, "the diff page with a problem");
    }

    @Test
    @Order(5)
    void aShareLinkComparesWithinItsSessionUntilRevoked() throws Exception {
        String token = fleet.admin.post("/api/sessions/" + after + "/share", "").body().get("token").asString();
        try (BrowserContext anonymous = chromium.newContext(false)) {
            Page shared = anonymous.newPage();
            shared.setDefaultTimeout(20_000);
            shared.navigate(url("/s/" + token));
            shared.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Compare two hosts…")).click();
            assertThat(shared).hasURL(Pattern.compile("/s/" + token + "/diff\\?left="));
            assertThat(shared.locator("header")).containsText("Shared session, read-only");
            assertThat(shared.locator("#left-session option")).hasCount(2); // the prompt and the link's session
            shared.locator("#left-host").selectOption(fleet.hostName("h2"));
            shared.locator("#right-host").selectOption(fleet.hostName("h3"));
            shared.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Compare").setExact(true)).click();
            assertThat(flow(shared).locator(".flow-counts")).containsText("dropped 3");
            assertThat(shared.locator("#sides a").first()).hasAttribute("href", Pattern.compile("^/s/" + token));
            assertAccessible(shared, "the shared diff");
            Chromium.screenshot(shared, "diff-shared");

            shared.locator("#right-ref").fill(String.valueOf(before));
            shared.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Compare").setExact(true)).click();
            assertThat(shared.locator("#form-errors")).containsText("not shared by this link");

            assertThat(fleet.admin.delete("/api/share/" + token).status()).isEqualTo(204);
            Response refused = shared.navigate(url("/s/" + token + "/diff?left=" + after));
            assertThat(refused.status()).isEqualTo(404);
            assertThat(shared.getByRole(AriaRole.ALERT)).containsText("unknown, revoked or expired");
            assertThat(shared.locator("#diff-form")).hasCount(0);
        }
    }

    @Test
    @Order(6)
    void aSideTracedWithKprobesGetsTheNoticeInsteadOfFalseDifferences() throws Exception {
        try (ScriptedKprobeAgent agent = new ScriptedKprobeAgent(fleet.server.port(), fleet.token,
                "scripted-kprobe-" + fleet.run)) {
            Api.Response created = fleet.admin.post("/api/sessions", "{\"filter\":\"udp\",\"hosts\":[\"" + agent.name + "\"]}");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            long kprobes = created.body().get("id").asLong();
            agent.traceDrops(kprobes, "10.231.41.1", Fleet.H3_ADDRESS, PORT);
            fleet.admin.post("/api/sessions/" + kprobes + "/stop", "");
            agent.stop(kprobes);

            page.navigate(url("/diff?left=" + before + "&right=" + kprobes));
            Locator notice = page.locator("#backends");
            assertThat(notice).isVisible();
            assertThat(notice).containsText("Different backends. Left was traced with tracepoint, right with kprobe");
            assertThat(page.locator("#summary")).containsText("compared by outcome and drop reason only");
            Locator flow = flow(page);
            assertThat(flow.locator(".only", new Locator.LocatorOptions().setHasText("Probe points only"))).hasCount(0);
            assertThat(flow.locator("tr.first-divergence")).hasCount(0);
            assertThat(flow.locator(".only.right")).containsText("NETFILTER_DROP");
            assertAccessible(page, "sessions traced with different backends");
            Chromium.screenshot(page, "diff-backends");

            // one packet of each: listed side by side, not aligned; the stand-in's markup stays text
            String packet = kprobes + ":" + agent.name + ":1";
            page.navigate(url("/diff?left=" + journeysTo(before).get(0) + "&right=" + packet));
            assertThat(page.locator("#backends")).containsText("Different backends");
            assertThat(page.locator("#summary")).containsText("Outcome: left delivered, right dropped (NETFILTER_DROP");
            assertThat(page.locator("#path-rows tr.first-divergence")).hasCount(0);
            assertThat(page.locator("#path-rows")).containsText(ScriptedKprobeAgent.HOSTILE);
            assertThat(page.locator("main img")).hasCount(0);
            assertThat(dialogs).as("no script ran from agent-provided text").isEmpty();
        }
    }
}
