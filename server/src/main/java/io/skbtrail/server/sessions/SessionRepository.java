package io.skbtrail.server.sessions;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data repository of trace sessions. */
public interface SessionRepository extends JpaRepository<TraceSession, Long> {
    List<TraceSession> findByStateIn(List<String> states);

    List<TraceSession> findAllByOrderByIdDesc();
}
