package io.skbtrail.server.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skbtrail.server.Http;
import io.skbtrail.server.ServerIntegrationTest;
import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.storage.EventPartitions;
import io.skbtrail.server.storage.SessionDeletion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Retention on real partitions: sessions and their {@code events_s<id>} tables with rows in them are made
 * here with SQL, then the limits are applied through the API.
 */
class RetentionTest extends ServerIntegrationTest {
    @Autowired
    EventPartitions partitions;
    @Autowired
    SessionDeletion deletion;

    @AfterEach
    void restoreDefaults() {
        assertThat(admin().put("/api/retention", "{\"maxAgeDays\":30,\"maxTotalBytes\":null}").status()).isEqualTo(200);
    }

    @Test
    void settingsAreReadWrittenAndValidated() {
        assertThat(admin().get("/api/retention").json().get("maxAgeDays").asInt()).isEqualTo(30);
        Http.Response put = admin().put("/api/retention", "{\"maxAgeDays\":7,\"maxTotalBytes\":1073741824}");
        assertThat(put.status()).isEqualTo(200);
        JsonNode read = admin().get("/api/retention").json();
        assertThat(read.get("maxAgeDays").asInt()).isEqualTo(7);
        assertThat(read.get("maxTotalBytes").asLong()).isEqualTo(1073741824L);

        Http.Response bad = admin().put("/api/retention", "{\"maxAgeDays\":0,\"maxTotalBytes\":-1}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("maxAgeDays", "maxTotalBytes");
        assertThat(admin().get("/api/retention").json().get("maxAgeDays").asInt()).isEqualTo(7);
        assertThat(admin().get("/api/audit?limit=10000").body()).contains("retention.update");
    }

    @Test
    void deletesEndedSessionsOlderThanTheMaxAgeButNeverLiveOnes() {
        long old = sessionWithEvents("stopped", "100 days", "99 days", 50);
        long oldFailed = sessionWithEvents("failed", "40 days", "40 days", 5);
        long recent = sessionWithEvents("stopped", "2 days", "1 day", 50);
        long oldButRunning = sessionWithEvents("running", "100 days", null, 50);
        long shared = sessionWithEvents("stopped", "200 days", "200 days", 1);
        jdbc.update("insert into share_links (token_hash, session_id, created_by) values (?, ?, 'test')",
                "hash-of-" + shared, shared);

        Http.Response run = admin().post("/api/retention/run", null);
        assertThat(run.status()).isEqualTo(200);
        assertThat(ids(run.json().get("deletedByAge"))).contains(old, oldFailed, shared).doesNotContain(recent, oldButRunning);
        assertThat(run.json().get("bytesFreed").asLong()).isPositive();

        assertThat(sessionExists(old)).isFalse();
        assertThat(partitionExists(old)).isFalse();
        assertThat(sessionExists(oldFailed)).isFalse();
        assertThat(sessionExists(recent)).isTrue();
        assertThat(partitionExists(recent)).isTrue();
        assertThat(sessionExists(oldButRunning)).isTrue();
        assertThat(jdbc.queryForObject("select count(*) from events_s" + oldButRunning, Long.class)).isEqualTo(50);
        assertThat(jdbc.queryForObject("select count(*) from share_links where session_id = ?", Long.class, shared)).isZero();
        assertThat(audited("session.delete", "session/" + old)).isTrue();
    }

    @Test
    void deletesOldestEndedSessionsUntilEventsFitTheMaxSize() {
        assertThat(admin().put("/api/retention", "{\"maxAgeDays\":null}").status()).isEqualTo(200);
        // ended long ago, so they are the oldest ended sessions in the (shared) test database
        long first = sessionWithEvents("stopped", "30 years", "30 years", 200);
        long second = sessionWithEvents("stopped", "29 years", "29 years", 200);
        long third = sessionWithEvents("stopped", "28 years", "28 years", 200);
        long live = sessionWithEvents("running", "31 years", null, 200);
        long total = partitions.totalBytes();
        // room for everything but the first and half of the second: both must go, the third stays
        long limit = total - partitions.bytes(first) - partitions.bytes(second) / 2;
        assertThat(admin().put("/api/retention", "{\"maxTotalBytes\":" + limit + "}").status()).isEqualTo(200);

        Http.Response run = admin().post("/api/retention/run", null);
        assertThat(run.status()).isEqualTo(200);
        assertThat(ids(run.json().get("deletedBySize"))).containsExactly(first, second);
        assertThat(run.json().get("totalBytes").asLong()).isLessThanOrEqualTo(limit);
        assertThat(partitions.totalBytes()).isLessThanOrEqualTo(limit);
        assertThat(partitionExists(first)).isFalse();
        assertThat(partitionExists(second)).isFalse();
        assertThat(partitionExists(third)).isTrue();
        assertThat(sessionExists(live)).isTrue();

        // a second run finds nothing to do
        assertThat(ids(admin().post("/api/retention/run", null).json().get("deletedBySize"))).isEmpty();
    }

    @Test
    void sessionDeletionRefusesLiveAndUnknownSessions() {
        long running = sessionWithEvents("stopping", "1 hour", null, 3);
        assertThatThrownBy(() -> deletion.delete(running, "test")).isInstanceOfSatisfying(ApiProblem.class,
                p -> assertThat(p.status().value()).isEqualTo(409));
        assertThat(partitionExists(running)).isTrue();
        assertThatThrownBy(() -> deletion.delete(987654321L, "test")).isInstanceOfSatisfying(ApiProblem.class,
                p -> assertThat(p.detail()).isEqualTo("session 987654321 does not exist"));

        long ended = insertSession("stopped", "1 hour", "1 minute"); // no partition: nothing was recorded
        assertThat(deletion.delete(ended, "test").bytesFreed()).isZero();
        assertThat(sessionExists(ended)).isFalse();
    }

    @Test
    void onlyAdminsManageRetention() {
        Http operator = newUser("operator");
        assertThat(operator.get("/api/retention").status()).isEqualTo(403);
        assertThat(operator.post("/api/retention/run", null).status()).isEqualTo(403);
    }

    /** A session row and its partition with {@code events} rows in it (null rows: no partition). */
    private long sessionWithEvents(String state, String createdAgo, String endedAgo, int events) {
        long id = insertSession(state, createdAgo, endedAgo);
        jdbc.execute("create table events_s" + id + " partition of events for values in (" + id + ")");
        jdbc.update("""
                insert into events (session_id, host_id, time_ns, ktime_ns, boot_id, seq, cpu, process, pid, skb,
                                    packet_id, probe_type, func, netns, mark, ifindex, proto, mtu, len, packet)
                select ?, 1, n, n, gen_random_uuid(), n, 0, 'test', 1, n, n, 1, 'net:netif_receive_skb',
                       4026531840, 0, 2, 2048, 1500, 100, convert_to(repeat(md5(n::text), 8), 'UTF8')
                from generate_series(1, ?) n""", id, events);
        return id;
    }

    private boolean sessionExists(long id) {
        return jdbc.queryForObject("select count(*) from sessions where id = ?", Long.class, id) == 1;
    }

    private boolean partitionExists(long id) {
        return jdbc.queryForObject("select to_regclass(?) is not null", Boolean.class, "events_s" + id);
    }

    private static java.util.List<Long> ids(JsonNode array) {
        java.util.List<Long> ids = new java.util.ArrayList<>();
        array.forEach(n -> ids.add(n.asLong()));
        return ids;
    }
}
