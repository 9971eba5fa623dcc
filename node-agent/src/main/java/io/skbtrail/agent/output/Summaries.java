package io.skbtrail.agent.output;

import io.skbtrail.protocol.SummaryRecord;
import java.util.stream.Collectors;

/** Human one-liners for the terminal (the trace command, and each session of the connect command). */
public final class Summaries {
    private Summaries() {}

    public static String oneLine(SummaryRecord s) {
        String lost = s.lost().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        return String.format("matched %d, delivered %d, printed %d in %.1f s; lost: %s",
                s.matched(), s.delivered(), s.printed(), s.durationNs() / 1e9, lost);
    }
}
