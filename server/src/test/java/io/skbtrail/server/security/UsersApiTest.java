package io.skbtrail.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.skbtrail.server.Http;
import io.skbtrail.server.ServerIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The users API (admin): create, list, change, delete, and the last admin kept. */
class UsersApiTest extends ServerIntegrationTest {

    @Test
    void adminCreatesListsChangesAndDeletesUsers() {
        String name = unique("alice");
        Http.Response created = admin().post("/api/users",
                "{\"username\":\"" + name + "\",\"password\":\"correct horse\",\"role\":\"operator\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith("/api/users/" + name);
        assertThat(created.json().get("role").asString()).isEqualTo("operator");
        assertThat(created.body()).doesNotContain("correct horse").doesNotContain("password");

        JsonNode listed = user(admin().get("/api/users").json(), name);
        assertThat(listed.get("role").asString()).isEqualTo("operator");
        assertThat(listed.get("enabled").asBoolean()).isTrue();

        Http alice = as(name, "correct horse");
        assertThat(alice.get("/api/no-such-thing").status()).isEqualTo(404); // signed in, may read

        // role and password change: the old password stops working at once
        Http.Response changed = admin().put("/api/users/" + name, "{\"role\":\"viewer\",\"password\":\"battery staple\"}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("role").asString()).isEqualTo("viewer");
        assertThat(alice.get("/api/no-such-thing").status()).isEqualTo(401);
        assertThat(as(name, "battery staple").post("/api/sessions/1/share", null).status()).isEqualTo(403);

        assertThat(admin().post("/api/users",
                "{\"username\":\"" + name + "\",\"password\":\"whatever1\",\"role\":\"viewer\"}").status()).isEqualTo(409);

        assertThat(admin().delete("/api/users/" + name).status()).isEqualTo(204);
        assertThat(admin().delete("/api/users/" + name).status()).isEqualTo(404);
        assertThat(as(name, "battery staple").get("/api/no-such-thing").status()).isEqualTo(401);

        assertThat(audited("user.create", "user/" + name)).isTrue();
        assertThat(audited("user.update", "user/" + name)).isTrue();
        assertThat(audited("user.delete", "user/" + name)).isTrue();
        String audit = admin().get("/api/audit?limit=10000").body();
        assertThat(audit).contains("role operator -> viewer, password changed")
                .doesNotContain("battery staple");
    }

    @Test
    void theLastEnabledAdminCannotBeDeletedDemotedOrDisabled() {
        // While "admin" is the only enabled admin
        disableOtherAdmins();
        Http.Response delete = admin().delete("/api/users/admin");
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.isProblem()).isTrue();
        assertThat(delete.json().get("detail").asString()).contains("last enabled admin");
        assertThat(admin().put("/api/users/admin", "{\"role\":\"operator\"}").status()).isEqualTo(409);
        assertThat(admin().put("/api/users/admin", "{\"enabled\":false}").status()).isEqualTo(409);
        assertThat(admin().get("/api/users").status()).isEqualTo(200); // still admin

        // With a second admin, either may go
        String second = unique("root");
        assertThat(admin().post("/api/users",
                "{\"username\":\"" + second + "\",\"password\":\"second admin\",\"role\":\"admin\"}").status()).isEqualTo(201);
        assertThat(as(second, "second admin").put("/api/users/admin", "{\"role\":\"admin\"}").status()).isEqualTo(200);
        assertThat(admin().delete("/api/users/" + second).status()).isEqualTo(204);
        assertThat(admin().delete("/api/users/admin").status()).isEqualTo(409);
    }

    @Test
    void invalidUsersAreRefusedWithTheFieldsAtFault() {
        Http.Response bad = admin().post("/api/users", "{\"username\":\"no spaces\",\"password\":\"short\",\"role\":\"root\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.isProblem()).isTrue();
        assertThat(bad.json().get("errors").findValuesAsString("field")).contains("username", "role");

        Http.Response shortPassword = admin().post("/api/users",
                "{\"username\":\"" + unique("bob") + "\",\"password\":\"short\",\"role\":\"viewer\"}");
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.json().get("errors").get(0).get("field").asString()).isEqualTo("password");
        assertThat(shortPassword.json().get("errors").get(0).get("message").asString()).contains("at least 8");

        assertThat(admin().put("/api/users/nobody-" + unique("x"), "{\"enabled\":true}").status()).isEqualTo(404);
    }

    private void disableOtherAdmins() {
        for (JsonNode user : admin().get("/api/users").json()) {
            String name = user.get("username").asString();
            if (!name.equals("admin") && user.get("role").asString().equals("admin") && user.get("enabled").asBoolean()) {
                admin().put("/api/users/" + name, "{\"enabled\":false}");
            }
        }
    }

    private static JsonNode user(JsonNode users, String name) {
        for (JsonNode user : users) {
            if (user.get("username").asString().equals(name)) {
                return user;
            }
        }
        throw new AssertionError("no user " + name + " in " + users);
    }
}
