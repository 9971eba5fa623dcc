package io.skbtrail.server.retention;

import io.skbtrail.server.audit.AuditLog;
import io.skbtrail.server.storage.EventPartitions;
import io.skbtrail.server.storage.SessionDeletion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps the event store within its limits by deleting whole ended sessions (never live ones): first those
 * that ended more than {@code max_age_days} ago, then the oldest ended ones until the events' partitions
 * together take at most {@code max_total_bytes}. Each deletion is its own transaction, so a run that stops
 * half way leaves nothing half deleted.
 */
@Service
public class Retention {
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    /** Ended sessions, oldest first: the order in which retention deletes. */
    private static final String ENDED_OLDEST_FIRST = """
            select id from sessions where state in ('stopped', 'failed')
            %s order by coalesce(ended_at, created_at), id""";

    /** Spring Data repository of the settings row. */
    public interface Repository extends JpaRepository<RetentionSettings, Integer> {}

    /** What a run deleted, and the events' size after it. */
    public record Report(List<Long> deletedByAge, List<Long> deletedBySize, long bytesFreed, long totalBytes) {
        public boolean deletedAnything() {
            return !deletedByAge.isEmpty() || !deletedBySize.isEmpty();
        }
    }

    private final Repository settings;
    private final SessionDeletion deletion;
    private final EventPartitions partitions;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final ReentrantLock running = new ReentrantLock();

    Retention(Repository settings, SessionDeletion deletion, EventPartitions partitions, JdbcTemplate jdbc,
            AuditLog audit) {
        this.settings = settings;
        this.deletion = deletion;
        this.partitions = partitions;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @Transactional(readOnly = true)
    public RetentionSettings settings() {
        return settings.findById(RetentionSettings.ID).orElseThrow();
    }

    @Transactional
    public RetentionSettings update(Integer maxAgeDays, Long maxTotalBytes, String actor) {
        RetentionSettings current = settings.findById(RetentionSettings.ID).orElseThrow();
        String before = describe(current.getMaxAgeDays(), current.getMaxTotalBytes());
        current.set(maxAgeDays, maxTotalBytes);
        audit.record(actor, "retention.update", "retention",
                before + " -> " + describe(maxAgeDays, maxTotalBytes));
        return current;
    }

    /** Applies the limits now; one run at a time (a second caller waits for the first). */
    public Report run(String actor) {
        running.lock();
        try {
            RetentionSettings limits = settings();
            List<Long> byAge = new ArrayList<>();
            List<Long> bySize = new ArrayList<>();
            long freed = 0;
            if (limits.getMaxAgeDays() != null) {
                List<Long> old = jdbc.queryForList(ENDED_OLDEST_FIRST.formatted(
                        "and coalesce(ended_at, created_at) < now() - make_interval(days => ?)"),
                        Long.class, limits.getMaxAgeDays());
                for (long id : old) {
                    Optional<SessionDeletion.Deleted> deleted = deletion.deleteIfEnded(id, actor,
                            "retention: ended more than " + limits.getMaxAgeDays() + " days ago");
                    if (deleted.isPresent()) {
                        byAge.add(id);
                        freed += deleted.get().bytesFreed();
                    }
                }
            }
            long total = partitions.totalBytes();
            if (limits.getMaxTotalBytes() != null && total > limits.getMaxTotalBytes()) {
                for (long id : jdbc.queryForList(ENDED_OLDEST_FIRST.formatted(""), Long.class)) {
                    if (total <= limits.getMaxTotalBytes()) {
                        break;
                    }
                    Optional<SessionDeletion.Deleted> deleted = deletion.deleteIfEnded(id, actor,
                            "retention: events over " + limits.getMaxTotalBytes() + " bytes");
                    if (deleted.isPresent()) {
                        bySize.add(id);
                        freed += deleted.get().bytesFreed();
                        total -= deleted.get().bytesFreed();
                    }
                }
                total = partitions.totalBytes();
                if (total > limits.getMaxTotalBytes()) {
                    log.warn("retention: events take {} bytes, over the limit of {}, but only live sessions are left",
                            total, limits.getMaxTotalBytes());
                }
            }
            Report report = new Report(byAge, bySize, freed, total);
            if (report.deletedAnything()) {
                log.info("retention: deleted sessions {} (age) and {} (size), freed {} bytes", byAge, bySize, freed);
            }
            return report;
        } finally {
            running.unlock();
        }
    }

    private static String describe(Integer maxAgeDays, Long maxTotalBytes) {
        return "max age " + (maxAgeDays == null ? "none" : maxAgeDays + " days")
                + ", max size " + (maxTotalBytes == null ? "none" : maxTotalBytes + " bytes");
    }
}
