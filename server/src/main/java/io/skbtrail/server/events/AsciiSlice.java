package io.skbtrail.server.events;

import java.nio.charset.StandardCharsets;

/**
 * A reusable view of ASCII bytes as characters, so that text read in place from an event line (a protocol
 * name, an IPv4 address) can be hashed into the join keys without making a string of it. The caller
 * checks that the bytes are ASCII, where a byte is a character.
 */
final class AsciiSlice implements CharSequence {
    private byte[] bytes;
    private int from;
    private int to;

    /** Views {@code bytes[from, to)}, all of them ASCII; returns this. */
    AsciiSlice set(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.from = from;
        this.to = to;
        return this;
    }

    /** Whether every byte of {@code bytes[from, to)} is ASCII. */
    static boolean isAscii(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int length() {
        return to - from;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= to - from) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) bytes[from + index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().subSequence(start, end);
    }

    @Override
    public String toString() {
        return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
    }
}
