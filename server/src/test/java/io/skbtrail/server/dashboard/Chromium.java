package io.skbtrail.server.dashboard;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ColorScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright for Java (no browser download: {@code /usr/bin/chromium}, as installed
 * by scripts/setup), with what the browser tests check on every main page: axe-core's accessibility rules and a
 * screenshot kept under {@code target/screenshots} to look at.
 */
final class Chromium implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String EXECUTABLE = "/usr/bin/chromium";
    private static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run");

    private final Playwright playwright;
    private final Browser browser;
    private final String axeSource;

    Chromium() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of(EXECUTABLE)).setHeadless(true).setArgs(FLAGS));
        axeSource = axeSource();
    }

    /**
     * A fresh browser context (its own cookies: a new visitor) at 1280×800, in the light or dark colour scheme.
     * The page's Content-Security-Policy is bypassed only so that axe-core can be injected into it.
     */
    BrowserContext newContext(boolean dark) {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)
                .setColorScheme(dark ? ColorScheme.DARK : ColorScheme.LIGHT).setBypassCSP(true));
    }

    /** Starts Chromium's own trace of what its threads do (for {@link TraceSummary}). */
    void startTracing(Page page, List<String> categories) {
        browser.startTracing(page, new Browser.StartTracingOptions().setCategories(categories));
    }

    /** The trace since {@link #startTracing}, as Chromium's trace-event JSON. */
    byte[] stopTracing() {
        return browser.stopTracing();
    }

    /** axe-core's serious and critical violations on the page as it is now: an empty list when it passes. */
    List<String> seriousAccessibilityViolations(Page page) {
        page.addScriptTag(new Page.AddScriptTagOptions().setContent(axeSource));
        Object result = page.evaluate("""
                async () => {
                  const results = await axe.run(document, { resultTypes: ['violations'] });
                  return results.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                      + v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(', '));
                }""");
        List<String> violations = new ArrayList<>();
        for (Object v : (List<?>) result) {
            violations.add(String.valueOf(v));
        }
        return violations;
    }

    /** A full-page PNG, {@code target/screenshots/NAME.png}. */
    static Path screenshot(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path file = SCREENSHOTS.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    private static String axeSource() {
        String resource = "META-INF/resources/webjars/axe-core/" + axeVersion() + "/axe.min.js";
        try (InputStream in = Chromium.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("axe-core is not on the test classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String axeVersion() {
        try (InputStream in = Chromium.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("axe-core webjar without pom.properties", e);
        }
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
