package io.skbtrail.agent.output;

/**
 * Column text for the table: terminal-safe strings, padding, centring and pwru's {@code ~} truncation.
 */
final class TableText {

    private TableText() {}

    /**
     * The text with characters that could move the cursor or fake output replaced: a tab becomes a space,
     * other C0/C1 controls, DEL, line separators and bidi overrides become {@code ?}. Returns {@code s}
     * itself when nothing needs replacing.
     */
    static String visible(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (unsafe(s.charAt(i))) {
                StringBuilder sb = new StringBuilder(s.length());
                for (int j = 0; j < s.length(); j++) {
                    char c = s.charAt(j);
                    sb.append(c == '\t' ? ' ' : unsafe(c) ? '?' : c);
                }
                return sb.toString();
            }
        }
        return s;
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }

    /** pwru's truncation: longer than {@code width}, keep the last {@code width - 1} chars after a {@code ~}. */
    static String truncateLeft(String s, int width) {
        return s.length() <= width ? s : "~" + s.substring(s.length() - width + 1);
    }

    /** Appends {@code s} left-aligned in {@code width} (no padding when longer). */
    static void appendPadded(StringBuilder sb, String s, int width) {
        sb.append(s);
        appendSpaces(sb, width - s.length());
    }

    /** Appends a number left-aligned in {@code width}. */
    static void appendPadded(StringBuilder sb, long n, int width) {
        int start = sb.length();
        sb.append(n);
        appendSpaces(sb, width - (sb.length() - start));
    }

    /** Appends {@code s} centred in {@code width}, the odd space on the right. */
    static void appendCentred(StringBuilder sb, String s, int width) {
        int spare = width - s.length();
        appendSpaces(sb, spare / 2);
        sb.append(s);
        appendSpaces(sb, spare - spare / 2);
    }

    static void appendSpaces(StringBuilder sb, int count) {
        for (int i = 0; i < count; i++) {
            sb.append(' ');
        }
    }

    /** Appends {@code 0x0800} style: at least four lower-case hex digits. */
    static void appendHex16(StringBuilder sb, int value) {
        String hex = Integer.toHexString(value);
        sb.append("0x");
        appendZeros(sb, 4 - hex.length());
        sb.append(hex);
    }

    static void appendZeros(StringBuilder sb, int count) {
        for (int i = 0; i < count; i++) {
            sb.append('0');
        }
    }
}
