package io.skbtrail.server.events;

import java.util.List;

/**
 * PostgreSQL COPY text format, written by hand for speed: columns separated by tab, rows by newline,
 * {@code \N} for null, and backslash, tab, newline and carriage return escaped. PostgreSQL text cannot hold
 * NUL, so a NUL character becomes U+FFFD.
 */
final class CopyText {
    private final StringBuilder out;
    private boolean rowStarted;

    CopyText(StringBuilder out) {
        this.out = out;
    }

    private StringBuilder next() {
        if (rowStarted) {
            out.append('\t');
        }
        rowStarted = true;
        return out;
    }

    CopyText number(long value) {
        next().append(value);
        return this;
    }

    CopyText nullableNumber(Number value) {
        if (value == null) {
            next().append("\\N");
        } else {
            next().append(value.longValue());
        }
        return this;
    }

    CopyText text(String value) {
        if (value == null) {
            next().append("\\N");
            return this;
        }
        escape(next(), value);
        return this;
    }

    /** A text[] literal: {"a","b"} with array quoting, then COPY escaping. */
    CopyText textArray(List<String> values) {
        if (values == null) {
            next().append("\\N");
            return this;
        }
        StringBuilder literal = new StringBuilder(values.size() * 16).append('{');
        for (int i = 0; i < values.size(); i++) {
            literal.append(i > 0 ? ",\"" : "\"");
            String v = values.get(i);
            for (int j = 0; j < v.length(); j++) {
                char c = v.charAt(j);
                if (c == '"' || c == '\\') {
                    literal.append('\\');
                }
                literal.append(c);
            }
            literal.append('"');
        }
        escape(next(), literal.append('}').toString());
        return this;
    }

    /** bytea from hex digits: {@code \x…}, the backslash doubled for COPY. */
    CopyText hexBytes(String hex) {
        if (hex == null) {
            next().append("\\N");
        } else {
            next().append("\\\\x").append(hex);
        }
        return this;
    }

    void endRow() {
        out.append('\n');
        rowStarted = false;
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\0' -> sb.append('\uFFFD');
                default -> sb.append(c);
            }
        }
    }
}
