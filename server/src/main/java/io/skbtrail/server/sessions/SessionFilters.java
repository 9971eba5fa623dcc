package io.skbtrail.server.sessions;

import io.skbtrail.filter.FilterException;
import io.skbtrail.filter.PcapFilterCompiler;

/**
 * The check every session filter passes before any agent hears of it: libpcap compiles it exactly as the
 * agents will. Used by {@code POST /api/sessions} and by {@code POST /api/filters/check} (the dashboard
 * checks as the user types), so both give the same words.
 */
final class SessionFilters {
    static final int MAX_LENGTH = 4096;

    private SessionFilters() {}

    /** The filter as sessions store it: trimmed, empty for none. */
    static String normalise(String filter) {
        return filter == null ? "" : filter.trim();
    }

    /** What is wrong with the (normalised) filter, in the compiler's words, or null when agents can take it. */
    static String problem(String filter) {
        if (filter.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        try {
            PcapFilterCompiler.compile(filter);
            return null;
        } catch (FilterException e) {
            return e.getMessage();
        }
    }
}
