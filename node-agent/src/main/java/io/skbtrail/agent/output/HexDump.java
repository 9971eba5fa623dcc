package io.skbtrail.agent.output;

/**
 * {@code hexdump -C} layout of packet bytes given as a hex string: an 8-digit offset, sixteen bytes in two
 * groups of eight, the printable ASCII between bars, and a last line with the total length. Identical
 * lines are not collapsed into {@code *}.
 */
final class HexDump {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private HexDump() {}

    /**
     * Appends the dump of at most {@code maxBytes} bytes of {@code hex}, each line prefixed with
     * {@code indent}. Text that is not an even run of hex digits is shown as it is, after {@code packet: }.
     */
    static void append(StringBuilder sb, String indent, String hex, int maxBytes) {
        byte[] bytes = decode(hex, maxBytes);
        if (bytes == null) {
            sb.append(indent).append("packet: ").append(TableText.visible(hex)).append('\n');
            return;
        }
        for (int line = 0; line < bytes.length; line += 16) {
            sb.append(indent);
            appendOffset(sb, line);
            sb.append("  ");
            int end = Math.min(line + 16, bytes.length);
            for (int i = line; i < line + 16; i++) {
                if (i < end) {
                    sb.append(HEX[bytes[i] >> 4 & 0xf]).append(HEX[bytes[i] & 0xf]).append(' ');
                } else {
                    sb.append("   ");
                }
                if (i == line + 7) {
                    sb.append(' ');
                }
            }
            sb.append(" |");
            for (int i = line; i < end; i++) {
                int b = bytes[i] & 0xff;
                sb.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
            }
            sb.append("|\n");
        }
        sb.append(indent);
        appendOffset(sb, bytes.length);
        sb.append('\n');
    }

    private static void appendOffset(StringBuilder sb, int offset) {
        for (int shift = 28; shift >= 0; shift -= 4) {
            sb.append(HEX[offset >> shift & 0xf]);
        }
    }

    private static byte[] decode(String hex, int maxBytes) {
        if (hex.length() % 2 != 0) {
            return null;
        }
        int n = Math.min(hex.length() / 2, maxBytes);
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            bytes[i] = (byte) (hi << 4 | lo);
        }
        return bytes;
    }
}
