package io.skbtrail.server.storage;

import io.skbtrail.server.api.ApiProblem;
import io.skbtrail.server.audit.AuditLog;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deletes a whole trace session: drops its events partition {@code events_s<id>}, then deletes the
 * {@code sessions} row (session hosts, drop counts, gaps and share links go with it by cascade). Live
 * sessions (pending, running, stopping) are never deleted. Used by {@code DELETE /api/sessions/{id}} and by
 * retention; every deletion is audited.
 */
@Service
public class SessionDeletion {
    private static final List<String> LIVE_STATES = List.of("pending", "running", "stopping");

    /** What one deletion removed. */
    public record Deleted(long sessionId, long bytesFreed) {}

    private final JdbcTemplate jdbc;
    private final EventPartitions partitions;
    private final AuditLog audit;

    SessionDeletion(JdbcTemplate jdbc, EventPartitions partitions, AuditLog audit) {
        this.jdbc = jdbc;
        this.partitions = partitions;
        this.audit = audit;
    }

    /**
     * For the API: deletes the session or says why not.
     *
     * @throws ApiProblem 404 if there is no such session, 409 if it is still live (stop it first)
     */
    @Transactional
    public Deleted delete(long sessionId, String actor) {
        String state = lockState(sessionId).orElseThrow(() -> ApiProblem.notFound("session " + sessionId));
        if (LIVE_STATES.contains(state)) {
            throw ApiProblem.conflict("session " + sessionId + " is " + state + ": stop it before deleting it");
        }
        return deleteLocked(sessionId, actor, null);
    }

    /**
     * For housekeeping: deletes the session if it exists and has ended; empty otherwise (gone meanwhile,
     * or live).
     */
    @Transactional
    public Optional<Deleted> deleteIfEnded(long sessionId, String actor, String reason) {
        Optional<String> state = lockState(sessionId);
        if (state.isEmpty() || LIVE_STATES.contains(state.get())) {
            return Optional.empty();
        }
        return Optional.of(deleteLocked(sessionId, actor, reason));
    }

    /** The session's state, with its row locked until the transaction ends (no state change meanwhile). */
    private Optional<String> lockState(long sessionId) {
        return jdbc.queryForList("select state from sessions where id = ? for update", String.class, sessionId)
                .stream().findFirst();
    }

    private Deleted deleteLocked(long sessionId, String actor, String reason) {
        long bytes = partitions.bytes(sessionId);
        partitions.drop(sessionId);
        jdbc.update("delete from sessions where id = ?", sessionId);
        audit.record(actor, "session.delete", "session/" + sessionId,
                (reason == null ? "" : reason + "; ") + "freed " + bytes + " bytes of events");
        return new Deleted(sessionId, bytes);
    }
}
