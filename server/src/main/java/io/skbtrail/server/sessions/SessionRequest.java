package io.skbtrail.server.sessions;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/sessions}.
 *
 * @param filter pcap-filter expression; empty or null traces every packet
 * @param hosts host names
 * @param labels labels a host must all carry to be selected (union with {@code hosts})
 * @param durationSeconds the session stops by itself after this long (null: until stopped)
 * @param maxEventsPerHost each host stops by itself after this many events (null: no limit)
 * @param options agent trace flags by name without {@code --} (see {@code SessionOptions})
 */
public record SessionRequest(String filter, List<String> hosts, Map<String, String> labels, Integer durationSeconds,
        Long maxEventsPerHost, Map<String, Object> options) {}
