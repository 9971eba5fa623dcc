package io.skbtrail.server.journeys;

import java.util.List;
import java.util.Map;

/** The diff API's answers (JSON through Jackson). */
final class DiffViews {
    private DiffViews() {}

    /** One probe point a packet passed. */
    record Step(String host, String point, String func, String dropReason, String location, String iface,
            long packet, String time, Long alignedNs) {}

    /** One row of two aligned paths: {@code same}, {@code changed} (side by side), {@code left} or {@code right} only. */
    record Row(String op, Step left, Step right) {}

    /** Where two paths part: the last point both passed, and what each did next. */
    record Divergence(int row, Step after, Step left, Step right, String message) {}

    record PathSide(String ref, long session, String journey, String host, Long packet, String state,
            String dropHost, String dropReason, List<String> backends, int steps) {}

    record PathDiff(String mode, PathSide left, PathSide right, boolean byHost, boolean backendsDiffer,
            String message, boolean identical, Divergence firstDivergence, List<Row> rows,
            List<Step> leftSteps, List<Step> rightSteps) {}

    /** A probe point (or drop) counted on one side of a flow. */
    record Count(String host, String point, long events, long journeys) {}

    record FlowSide(long journeys, Map<String, Long> states, Map<String, Long> dropReasons, List<String> path) {}

    record Flow(String saddr, String daddr, Integer sport, Integer dport, String proto) {}

    record FlowDiff(Flow flow, FlowSide left, FlowSide right, List<Count> leftOnly, List<Count> rightOnly,
            List<Count> dropReasonsLeftOnly, List<Count> dropReasonsRightOnly, Divergence firstDivergence,
            List<Row> rows) {}

    record SessionSide(String ref, long session, String host, long journeys, long events, boolean complete, List<String> backends) {}

    record SessionDiff(String mode, SessionSide left, SessionSide right, boolean byHost, boolean backendsDiffer,
            String message, boolean identical, FlowDiff firstDivergence, List<FlowDiff> flows, boolean flowsTruncated) {}
}
