package io.skbtrail.server.retention;

import io.skbtrail.server.security.CurrentUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Applies the retention limits every minute ({@code skbtrail.retention.interval}, an ISO-8601 duration).
 * Off with {@code skbtrail.retention.enabled=false} (the tests run retention by hand).
 */
@Component
@ConditionalOnProperty(name = "skbtrail.retention.enabled", havingValue = "true", matchIfMissing = true)
class RetentionJob {
    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final Retention retention;

    RetentionJob(Retention retention) {
        this.retention = retention;
    }

    @Scheduled(fixedDelayString = "${skbtrail.retention.interval:PT1M}",
            initialDelayString = "${skbtrail.retention.interval:PT1M}")
    void run() {
        try {
            retention.run(CurrentUser.SYSTEM);
        } catch (RuntimeException e) {
            log.error("retention run failed; retrying at the next interval", e);
        }
    }
}
