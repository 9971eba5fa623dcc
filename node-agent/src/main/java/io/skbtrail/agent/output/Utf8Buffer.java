package io.skbtrail.agent.output;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that text is appended to as UTF-8, reused across writes so that printing does
 * not allocate. An unpaired surrogate becomes {@code ?}.
 */
final class Utf8Buffer {

    private byte[] bytes;
    private int length;

    Utf8Buffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    void append(CharSequence text) {
        if (text instanceof StringBuilder || text instanceof String) {
            // The JDK's encoder is vectorised for Latin-1 text (almost all of ours), and replaces an
            // unpaired surrogate with '?' as the loop below does.
            byte[] encoded = text.toString().getBytes(StandardCharsets.UTF_8);
            ensure(encoded.length);
            System.arraycopy(encoded, 0, bytes, length, encoded.length);
            length += encoded.length;
            return;
        }
        appendChars(text);
    }

    private void ensure(int more) {
        if (length + (long) more > bytes.length) {
            long wanted = Math.max(2L * bytes.length, length + (long) more);
            bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
        }
    }

    private void appendChars(CharSequence text) {
        int n = text.length();
        // At most three bytes per char: a surrogate pair is four bytes for two chars.
        if (length + 3L * n > bytes.length) {
            long wanted = Math.max(2L * bytes.length, length + 3L * n);
            bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
        }
        byte[] b = bytes;
        int at = length;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                b[at++] = (byte) c;
            } else if (c < 0x800) {
                b[at++] = (byte) (0xc0 | c >> 6);
                b[at++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isSurrogate(c)) {
                char low = i + 1 < n ? text.charAt(i + 1) : 0;
                if (Character.isHighSurrogate(c) && Character.isLowSurrogate(low)) {
                    int cp = Character.toCodePoint(c, low);
                    b[at++] = (byte) (0xf0 | cp >> 18);
                    b[at++] = (byte) (0x80 | cp >> 12 & 0x3f);
                    b[at++] = (byte) (0x80 | cp >> 6 & 0x3f);
                    b[at++] = (byte) (0x80 | cp & 0x3f);
                    i++;
                } else {
                    b[at++] = '?';
                }
            } else {
                b[at++] = (byte) (0xe0 | c >> 12);
                b[at++] = (byte) (0x80 | c >> 6 & 0x3f);
                b[at++] = (byte) (0x80 | c & 0x3f);
            }
        }
        length = at;
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
    }

    /** Drops the first {@code count} bytes, moving the rest to the front. */
    void discardFront(int count) {
        System.arraycopy(bytes, count, bytes, 0, length - count);
        length -= count;
    }
}
