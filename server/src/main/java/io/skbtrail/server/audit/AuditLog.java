package io.skbtrail.server.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Records who started, stopped, shared and deleted what (and every admin change), in the database and the log. */
@Service
public class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    /** Spring Data repository of audit entries. */
    public interface Entries extends JpaRepository<AuditEntry, Long> {}

    private final Entries entries;

    AuditLog(Entries entries) {
        this.entries = entries;
    }

    /**
     * @param actor user name, {@code share:<id>} or {@code system}
     * @param action verb such as {@code session.start}
     * @param target object such as {@code session/12}
     */
    @Transactional
    public void record(String actor, String action, String target, String detail) {
        entries.save(new AuditEntry(actor, action, target, detail));
        log.info("audit: {} {} {}{}", actor, action, target, detail == null ? "" : " (" + detail + ")");
    }

    @Transactional(readOnly = true)
    public java.util.List<AuditEntry> latest(int limit) {
        return entries.findAll(PageRequest.of(0, limit, Sort.by(Sort.Direction.DESC, "id"))).getContent();
    }
}
