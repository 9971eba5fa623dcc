package io.skbtrail.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.server.Http;
import io.skbtrail.server.ServerIntegrationTest;
import org.junit.jupiter.api.Test;

/** Every /api error is problem+json with a detail a user can act on. */
class ApiErrorsTest extends ServerIntegrationTest {

    @Test
    void malformedJsonSaysWhereItBroke() {
        Http.Response r = admin().post("/api/users", "{\"username\": \"x\", ");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.json().get("title").asString()).isEqualTo("Bad Request");
        assertThat(r.json().get("detail").asString()).startsWith("malformed JSON (line 1, column");
    }

    @Test
    void wrongTypeNamesTheField() {
        Http.Response r = admin().put("/api/users/admin", "{\"enabled\":\"maybe\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("detail").asString()).startsWith("invalid value for 'enabled'");
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("enabled");
    }

    @Test
    void missingBody() {
        Http.Response r = admin().post("/api/users", null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("detail").asString()).contains("body is missing");
    }

    @Test
    void validationErrorsListEveryField() {
        Http.Response r = admin().post("/api/users", "{\"username\":\"\",\"role\":\"king\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.isProblem()).isTrue();
        assertThat(r.json().get("errors").findValuesAsString("field")).contains("username", "password", "role");
        assertThat(r.json().get("detail").asString()).contains("role: one of viewer, operator, admin");
    }

    @Test
    void invalidQueryParameterIsAFieldError() {
        Http.Response r = admin().get("/api/audit?limit=0");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("limit");
        Http.Response notANumber = admin().delete("/api/agent-tokens/abc");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.isProblem()).isTrue();
    }

    @Test
    void unknownEndpointAndWrongMethod() {
        Http.Response missing = admin().get("/api/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.isProblem()).isTrue();
        assertThat(missing.json().get("detail").asString()).isEqualTo("no such endpoint: GET /api/nothing-here");
        Http.Response method = admin().send("PATCH", "/api/retention", "{}", "application/json");
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.isProblem()).isTrue();
    }
}
