package io.skbtrail.agent.output;

import io.skbtrail.protocol.Event;
import io.skbtrail.protocol.EventJson;
import io.skbtrail.protocol.LossRecord;
import io.skbtrail.protocol.SummaryRecord;

/**
 * Prints NDJSON, one contract v1 record per line, exactly as {@link EventJson} encodes it (the server
 * reads the same lines). Every field is always present; the table-only options (columns, timestamp,
 * packet bytes) do not change the JSON.
 */
public final class JsonPrinter extends EventPrinter {

    private final EventJson json = new EventJson();

    public JsonPrinter(OutputOptions options, OutputSink sink) {
        super(options, sink);
    }

    @Override
    void formatEvent(StringBuilder out, Event event) {
        json.appendTo(out, event).append('\n');
    }

    @Override
    void formatLoss(StringBuilder out, LossRecord loss) {
        json.appendTo(out, loss).append('\n');
    }

    @Override
    void formatSummary(StringBuilder out, SummaryRecord summary) {
        json.appendTo(out, summary).append('\n');
    }
}
