package io.skbtrail.protocol;

/**
 * JSON string literals, escaped so that a hostile process or interface name can neither break the line
 * nor inject markup when a browser shows the raw JSON: control characters, {@code "}, {@code \},
 * {@code <}, {@code >}, {@code &}, U+2028, U+2029 and unpaired surrogates are escaped; other non-ASCII
 * characters stay as they are.
 */
public final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** For each ASCII character: 0 = literal, a letter = two-character escape, 'u' = six-character escape. */
    private static final char[] ASCII_ESCAPE = new char[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ASCII_ESCAPE[c] = 'u';
        }
        ASCII_ESCAPE['\n'] = 'n';
        ASCII_ESCAPE['\r'] = 'r';
        ASCII_ESCAPE['\t'] = 't';
        ASCII_ESCAPE['"'] = '"';
        ASCII_ESCAPE['\\'] = '\\';
        ASCII_ESCAPE['<'] = 'u';
        ASCII_ESCAPE['>'] = 'u';
        ASCII_ESCAPE['&'] = 'u';
    }

    private JsonText() {}

    /** Appends {@code s} as a quoted JSON string, or {@code null}. */
    public static void appendNullable(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
        } else {
            append(sb, s);
        }
    }

    /** Appends {@code s} as a quoted JSON string. */
    public static void append(StringBuilder sb, String s) {
        sb.append('"');
        int len = s.length();
        int run = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 128) {
                char escape = ASCII_ESCAPE[c];
                if (escape == 0) {
                    continue;
                }
                sb.append(s, run, i);
                if (escape == 'u') {
                    appendUnicodeEscape(sb, c);
                } else {
                    sb.append('\\').append(escape);
                }
                run = i + 1;
            } else if (c == '\u2028' || c == '\u2029') {
                sb.append(s, run, i);
                appendUnicodeEscape(sb, c);
                run = i + 1;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                sb.append(s, run, i);
                appendUnicodeEscape(sb, c);
                run = i + 1;
            }
        }
        sb.append(s, run, len).append('"');
    }

    private static void appendUnicodeEscape(StringBuilder sb, char c) {
        sb.append('\\').append('u')
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
    }
}
