package io.skbtrail.server.events;

import io.skbtrail.protocol.JsonText;
import java.util.Map;

/** Small JSON texts the event queries build by hand. */
final class Json {
    private Json() {}

    static String counts(Map<String, Long> counts) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (s.length() > 1) {
                s.append(',');
            }
            JsonText.append(s, e.getKey());
            s.append(':').append(e.getValue());
        }
        return s.append('}').toString();
    }
}
