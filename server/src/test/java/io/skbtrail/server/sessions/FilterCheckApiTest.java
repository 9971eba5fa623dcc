package io.skbtrail.server.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.filter.FilterException;
import io.skbtrail.filter.PcapFilterCompiler;
import io.skbtrail.server.Http;
import io.skbtrail.server.ServerIntegrationTest;
import io.skbtrail.server.security.SecurityTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/filters/check}, what the dashboard asks as the user types a filter: the same compiler and
 * the same words as {@code POST /api/sessions}, for any signed-in role, and nothing is created.
 */
class FilterCheckApiTest extends ServerIntegrationTest {

    @Test
    void aValidFilterIsAcceptedAsSessionsWouldStoreIt() {
        Http.Response ok = newUser("viewer").post("/api/filters/check", "{\"filter\":\"  udp and dst port 53 \"}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("filter").asString()).isEqualTo("udp and dst port 53");
        assertThat(ok.json().get("valid").asBoolean()).isTrue();
        Http.Response empty = admin().post("/api/filters/check", "{\"filter\":\"\"}");
        assertThat(empty.status()).as("no filter traces every packet").isEqualTo(200);
    }

    @Test
    void anInvalidFilterGetsTheCompilersMessageOnFieldFilterAsASessionWouldAndNothingIsStored() {
        int sessions = admin().get("/api/sessions").json().size();
        String filter = "tcp and prt 80";
        Http.Response refused = newUser("viewer").post("/api/filters/check", "{\"filter\":\"" + filter + "\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.isProblem()).isTrue();
        JsonNode error = refused.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("filter");
        assertThat(error.get("message").asString()).isEqualTo(compilerMessage(filter)).isNotBlank();

        Http.Response session = admin().post("/api/sessions", "{\"filter\":\"" + filter + "\",\"hosts\":[\"any\"]}");
        assertThat(session.json().get("errors").get(0).get("message").asString())
                .as("the session API says the same").isEqualTo(error.get("message").asString());
        assertThat(admin().get("/api/sessions").json().size()).isEqualTo(sessions);
    }

    @Test
    void anOverlongFilterIsRefusedWithItsLength() {
        String filter = "tcp or ".repeat(700) + "udp";
        Http.Response refused = admin().post("/api/filters/check", "{\"filter\":\"" + filter + "\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").get(0).get("message").asString())
                .isEqualTo("longer than 4096 characters");
    }

    @Test
    void anonymousIsRefusedAndABrowserNeedsItsCsrfToken() {
        // without a login: refused (403 from the CSRF check, which comes first; 401 for a script's wrong password)
        assertThat(anonymous().post("/api/filters/check", "{\"filter\":\"tcp\"}").status()).isEqualTo(403);
        assertThat(as("admin", "wrong password").post("/api/filters/check", "{\"filter\":\"tcp\"}").status())
                .isEqualTo(401);

        Http browser = anonymous();
        Http.Response login = browser.get("/login");
        browser.postForm("/login", Map.of("username", "admin", "password", ADMIN_PASSWORD,
                "_csrf", SecurityTest.csrfField(login.body())));
        browser.get("/");
        assertThat(browser.post("/api/filters/check", "{\"filter\":\"tcp\"}").status()).isEqualTo(403);
        Http.Response ok = browser.header("X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN"))
                .post("/api/filters/check", "{\"filter\":\"tcp\"}");
        assertThat(ok.status()).isEqualTo(200);
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
