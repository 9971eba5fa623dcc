package io.skbtrail.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the server's database tests: the real server on a random port, over a real (embedded) PostgreSQL
 * in a fresh directory under target/. Every subclass has the same configuration, so Spring starts the
 * server once and all of them share it (its context cache): tests must not depend on running alone, and
 * must leave the user {@code admin} and the retention settings as they found them.
 */
@Tag("db")
@SpringBootTest(classes = SkbtrailServer.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "skbtrail.admin-password=" + ServerIntegrationTest.ADMIN_PASSWORD,
                // Retention runs only when a test asks, so it cannot delete another test's sessions.
                "skbtrail.retention.enabled=false",
                // A live buffer small enough that a test can overrun it (LiveStreamTest), large enough that
                // a viewer keeping up never falls out of it.
                "skbtrail.live.buffer-events=20000",
                // The one host whose clock is made to run 250 ms ahead (ClockSkewDbTest): a test-only stand-in.
                "skbtrail.test.clock-skew-stand-in.journey-skewed-router=250000000",
        })
public abstract class ServerIntegrationTest {
    /** The first-start admin password, as if from SKBTRAIL_ADMIN_PASSWORD. */
    public static final String ADMIN_PASSWORD = "first-start-Secret-7";
    private static final Path DATA_DIR = freshDataDir();
    private static final AtomicInteger NAMES = new AtomicInteger();

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("skbtrail.data-dir", DATA_DIR::toString);
    }

    private static Path freshDataDir() {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            return Files.createTempDirectory(target.toAbsolutePath(), "test-data-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected Http anonymous() {
        return new Http(port, null, null);
    }

    protected Http admin() {
        return new Http(port, "admin", ADMIN_PASSWORD);
    }

    protected Http as(String user, String password) {
        return new Http(port, user, password);
    }

    /** Whether the audit log (read through the API, as an admin would) has this action on this target. */
    protected boolean audited(String action, String target) {
        for (tools.jackson.databind.JsonNode entry : admin().get("/api/audit?limit=10000").json()) {
            if (entry.get("action").asString().equals(action) && entry.get("target").asString().equals(target)) {
                return true;
            }
        }
        return false;
    }

    /** A name no other test uses. */
    protected static String unique(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    /** Creates a user with this role through the API and returns a client signed in as it. */
    protected Http newUser(String role) {
        String name = unique(role);
        String password = "pw-" + name;
        Http.Response created = admin().post("/api/users",
                "{\"username\":\"" + name + "\",\"password\":\"" + password + "\",\"role\":\"" + role + "\"}");
        if (created.status() != 201) {
            throw new AssertionError("could not create user " + name + ": " + created);
        }
        return as(name, password);
    }

    /** A browser signed in through the login form (with its CSRF field) as a new user with this role. */
    protected Http signedInBrowser(String role) {
        Http api = newUser(role);
        Http browser = anonymous();
        String csrf = io.skbtrail.server.security.SecurityTest.csrfField(browser.get("/login").body());
        Http.Response signedIn = browser.postForm("/login",
                java.util.Map.of("username", api.user(), "password", "pw-" + api.user(), "_csrf", csrf));
        if (signedIn.status() != 302) {
            throw new AssertionError("signing in as " + api.user() + " failed: " + signedIn);
        }
        return browser;
    }

    /**
     * Inserts a session row directly (the sessions API is not part of these tests) and returns its id.
     *
     * @param createdAgo e.g. {@code '100 days'}
     * @param endedAgo null for a session that has not ended
     */
    protected long insertSession(String state, String createdAgo, String endedAgo) {
        return jdbc.queryForObject("""
                insert into sessions (state, created_by, created_at, ended_at)
                values (?, 'test', now() - ?::interval, now() - ?::interval)
                returning id""", Long.class, state, createdAgo, endedAgo);
    }
}
