package io.skbtrail.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.server.Http;
import io.skbtrail.server.ServerIntegrationTest;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Sign-in (form and Basic), CSRF, roles and the 401/403 answers, through real HTTP. */
public class SecurityTest extends ServerIntegrationTest {
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    @Test
    void firstStartCreatesAdminWithThePasswordFromTheProperty() {
        Http.Response users = admin().get("/api/users");
        assertThat(users.status()).isEqualTo(200);
        assertThat(users.json().findValuesAsString("username")).contains("admin");
        assertThat(users.json().get(0).get("role").asString()).isEqualTo("admin");
        assertThat(as("admin", "not-the-password").get("/api/users").status()).isEqualTo(401);
        // the first start is in the audit log, the password is not
        Http.Response audit = admin().get("/api/audit?limit=10000");
        assertThat(audit.body()).contains("first start").doesNotContain(ADMIN_PASSWORD);
    }

    @Test
    void browserSignsInOnTheLoginFormWithItsCsrfToken() {
        Http browser = anonymous();
        Http.Response page = browser.get("/");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");

        Http.Response login = browser.get("/login");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.body()).contains("<label for=\"username\">", "<label for=\"password\">", "Sign in");
        Http.Response signedIn = browser.postForm("/login",
                Map.of("username", "admin", "password", ADMIN_PASSWORD, "_csrf", csrfField(login.body())));
        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).doesNotContain("error");

        Http.Response home = browser.get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("<title>Hosts · skbtrail</title>", "<span>admin</span>", "Sign out");
        // the session cookie also works for the API (the dashboard's XHR)
        assertThat(browser.header("X-Requested-With", "XMLHttpRequest").get("/api/users").status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordOnTheFormShowsTheFormAgainWithAnError() {
        Http browser = anonymous();
        String csrf = csrfField(browser.get("/login").body());
        Http.Response failed = browser.postForm("/login", Map.of("username", "admin", "password", "nope", "_csrf", csrf));
        assertThat(failed.status()).isEqualTo(302);
        assertThat(failed.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        assertThat(browser.get("/login?error").body()).contains("Wrong user name or password.");
    }

    @Test
    void browserPostsWithoutCsrfTokenAreRefused() {
        Http browser = anonymous();
        browser.get("/login");
        // the login form itself
        Http.Response noToken = browser.postForm("/login", Map.of("username", "admin", "password", ADMIN_PASSWORD));
        assertThat(noToken.status()).isEqualTo(403);

        // a signed-in browser session calling the API: the token is required there too ...
        Http.Response login = browser.get("/login");
        browser.postForm("/login", Map.of("username", "admin", "password", ADMIN_PASSWORD, "_csrf", csrfField(login.body())));
        browser.get("/"); // any page hands out the XSRF-TOKEN cookie
        String body = "{\"host\":null,\"description\":\"csrf test\"}";
        Http.Response forged = browser.post("/api/agent-tokens", body);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.isProblem()).isTrue();
        assertThat(forged.json().get("detail").asString()).contains("CSRF");
        // ... and with the cookie's value in X-XSRF-TOKEN, as the dashboard sends it, it is accepted
        String xsrf = browser.cookie("XSRF-TOKEN");
        assertThat(xsrf).isNotNull();
        assertThat(browser.header("X-XSRF-TOKEN", xsrf).post("/api/agent-tokens", body).status()).isEqualTo(201);
    }

    @Test
    void scriptsUseBasicOnTheApiWithoutCsrfToken() {
        Http.Response created = admin().post("/api/agent-tokens", "{\"description\":\"from a script\"}");
        assertThat(created.status()).isEqualTo(201);
        // ... unless a browser says the request comes from another site (cached Basic credentials)
        Http.Response crossSite = admin().header("Sec-Fetch-Site", "cross-site")
                .post("/api/agent-tokens", "{\"description\":\"forged\"}");
        assertThat(crossSite.status()).isEqualTo(403);
    }

    @Test
    void failedLoginFromXhrIs401ProblemWithoutBrowserPopUp() {
        Http.Response xhr = as("admin", "wrong").header("X-Requested-With", "XMLHttpRequest").get("/api/users");
        assertThat(xhr.status()).isEqualTo(401);
        assertThat(xhr.isProblem()).isTrue();
        assertThat(xhr.json().get("detail").asString()).isEqualTo("wrong user name or password");
        assertThat(xhr.headers().firstValue("WWW-Authenticate")).isEmpty();

        Http.Response fetch = anonymous().header("Sec-Fetch-Mode", "cors").get("/api/users");
        assertThat(fetch.status()).isEqualTo(401);
        assertThat(fetch.headers().firstValue("WWW-Authenticate")).isEmpty();

        Http.Response jsonClient = anonymous().header("Accept", "application/json").get("/api/users");
        assertThat(jsonClient.status()).isEqualTo(401);
        assertThat(jsonClient.isProblem()).isTrue();
        assertThat(jsonClient.headers().firstValue("WWW-Authenticate")).isEmpty();

        // a script (curl: Accept */*) or a person typing the URL gets the Basic challenge
        Http.Response script = anonymous().header("Accept", "*/*").get("/api/users");
        assertThat(script.status()).isEqualTo(401);
        assertThat(script.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("JSESSIONID"));
        assertThat(script.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic realm=\"skbtrail\"");
    }

    @Test
    void viewerReadsButMayNotStartSessionsNorAdminister() {
        Http viewer = newUser("viewer");
        assertThat(viewer.get("/api/retention").status()).isEqualTo(403);
        Http.Response start = viewer.post("/api/sessions", "{\"filter\":\"tcp\"}");
        assertThat(start.status()).isEqualTo(403);
        assertThat(start.isProblem()).isTrue();
        assertThat(start.json().get("detail").asString()).contains("viewer");
        assertThat(viewer.post("/api/sessions/1/stop", null).status()).isEqualTo(403);
        assertThat(viewer.post("/api/sessions/1/share", null).status()).isEqualTo(403);
        assertThat(viewer.delete("/api/share/x").status()).isEqualTo(403);
        assertThat(viewer.get("/api/users").status()).isEqualTo(403);
        assertThat(viewer.post("/api/agent-tokens", "{}").status()).isEqualTo(403);
        assertThat(viewer.get("/api/audit").status()).isEqualTo(403);
        // reading is allowed: the request passes security and reaches routing
        assertThat(viewer.get("/api/no-such-thing").status()).isEqualTo(404);
    }

    @Test
    void operatorSharesButMayNotAdminister() {
        Http operator = newUser("operator");
        // allowed by security; the session does not exist, so the share endpoint answers 404
        assertThat(operator.post("/api/sessions/999999999/share", null).status()).isEqualTo(404);
        assertThat(operator.delete("/api/sessions/1").status()).isEqualTo(403);
        assertThat(operator.post("/api/agent-tokens", "{}").status()).isEqualTo(403);
        assertThat(operator.put("/api/retention", "{}").status()).isEqualTo(403);
        assertThat(operator.get("/api/users").status()).isEqualTo(403);
    }

    @Test
    void agentLinkAndSharedLinksNeedNoLogin() {
        Http.Response shared = anonymous().get("/api/shared/some-token/events");
        assertThat(shared.status()).isEqualTo(404);
        assertThat(shared.json().get("detail").asString()).contains("share link unknown");
        // The agent link checks its own bearer token: with one, no login is asked for (400: not an upgrade).
        String token = admin().post("/api/agent-tokens", "{\"host\":null}").json().get("token").asString();
        Http.Response link = anonymous().header("Authorization", "Bearer " + token).get("/api/agent/link");
        assertThat(link.status()).isEqualTo(400);
        assertThat(anonymous().get("/api/agent/link").status()).isEqualTo(401);
    }

    @Test
    void disabledUserCannotSignIn() {
        Http user = newUser("viewer");
        assertThat(user.get("/api/no-such-thing").status()).isEqualTo(404);
        String name = user.user();
        assertThat(admin().put("/api/users/" + name, "{\"enabled\":false}").status()).isEqualTo(200);
        Http.Response refused = user.get("/api/no-such-thing");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asString()).isEqualTo("this user is disabled");
    }

    @Test
    void browserSessionEndsWhenTheUserIsDisabledOrChangesRole() {
        for (String change : new String[] {"{\"enabled\":false}", "{\"role\":\"viewer\"}"}) {
            Http user = newUser("operator");
            Http browser = anonymous().header("X-Requested-With", "XMLHttpRequest");
            Http.Response login = browser.get("/login");
            browser.postForm("/login", Map.of("username", user.user(), "password", "pw-" + user.user(),
                    "_csrf", csrfField(login.body())));
            assertThat(browser.get("/api/no-such-thing").status()).isEqualTo(404);
            assertThat(admin().put("/api/users/" + user.user(), change).status()).isEqualTo(200);
            assertThat(browser.get("/api/no-such-thing").status()).as("after " + change).isEqualTo(401);
        }
    }

    public static String csrfField(String html) {
        Matcher m = CSRF_FIELD.matcher(html);
        assertThat(m.find()).as("login page has a _csrf field: " + html).isTrue();
        return m.group(1);
    }
}
