package io.skbtrail.protocol;

import java.time.Instant;

/**
 * One line of the NDJSON stream (event contract v1): an {@link Event}, a {@link LossRecord} or a
 * {@link SummaryRecord}. {@link EventJson} writes them and {@link EventJsonParser} reads them back.
 */
public sealed interface WireRecord permits Event, LossRecord, SummaryRecord {

    /** Wall-clock time of the record (UTC on the wire). */
    Instant time();
}
