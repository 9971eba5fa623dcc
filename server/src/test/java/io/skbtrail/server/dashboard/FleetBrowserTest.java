package io.skbtrail.server.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.skbtrail.server.fleet.Fleet;
import io.skbtrail.server.fleet.ServerProcess;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every browser test class stands on, started once per class: a {@link Fleet} (a server process and agent
 * processes, each watching one network namespace that stands for a host) and Debian's Chromium.
 */
abstract class FleetBrowserTest {
    protected static Fleet fleet;
    protected static Chromium chromium;

    @BeforeAll
    static void startFleetAndChromium() throws Exception {
        fleet = new Fleet();
        chromium = new Chromium();
    }

    @AfterAll
    static void stopChromiumAndFleet() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    protected static String url(String path) {
        return fleet.server.url() + path;
    }

    protected static void assertAccessible(Page p, String pageName) {
        assertThat(chromium.seriousAccessibilityViolations(p)).as("axe-core on " + pageName).isEmpty();
    }

    /** Signs this page in as the admin through the login form. */
    protected static void signInAsAdmin(Page p) {
        p.navigate(url("/login"));
        p.getByLabel("User name").fill("admin");
        p.getByLabel("Password").fill(ServerProcess.ADMIN_PASSWORD);
        p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(p).hasURL(Pattern.compile("/(\\?continue)?$"));
    }
}
