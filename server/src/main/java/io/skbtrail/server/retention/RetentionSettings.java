package io.skbtrail.server.retention;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The one row of {@code retention_settings}: how long and how much event data is kept; null = no limit. */
@Entity
@Table(name = "retention_settings")
public class RetentionSettings {
    static final int ID = 1;

    @Id
    private Integer id;
    @Column(name = "max_age_days")
    private Integer maxAgeDays;
    @Column(name = "max_total_bytes")
    private Long maxTotalBytes;

    protected RetentionSettings() {}

    public Integer getMaxAgeDays() { return maxAgeDays; }
    public Long getMaxTotalBytes() { return maxTotalBytes; }

    void set(Integer maxAgeDays, Long maxTotalBytes) {
        this.maxAgeDays = maxAgeDays;
        this.maxTotalBytes = maxTotalBytes;
    }
}
