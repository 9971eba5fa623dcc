package io.skbtrail.server.journeys;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import org.postgresql.copy.CopyOut;

/**
 * Reads rows of {@code COPY … TO STDOUT (FORMAT binary)} straight from the protocol's messages: numbers as they
 * are sent (big-endian), text only as far as asked, and short repeated texts (probe points, drop reasons) as one
 * interned {@link String} per distinct value, so a million rows make a million small arrays (the messages) and
 * nothing else. PostgreSQL produces the rows while this parses them.
 *
 * <p>Format: an 11-byte signature, flags and a header extension; then per row a 16-bit field count (-1 ends the
 * data) and per field a 32-bit length (-1 for NULL) and that many bytes.
 */
final class BinaryCopyReader {
    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);

    private final CopyOut copy;
    private byte[] buf = new byte[0];
    private int pos;
    private int fields;
    private int field;
    /** Where each field of the current row starts, and its length (-1: NULL). */
    private int[] starts = new int[32];
    private int[] lengths = new int[32];
    private final Interned interned = new Interned();

    BinaryCopyReader(CopyOut copy) throws SQLException {
        this.copy = copy;
        ensure(SIGNATURE.length + 8);
        if (!Arrays.equals(buf, pos, pos + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new SQLException("not a binary COPY stream");
        }
        pos += SIGNATURE.length + 4;
        int extension = readInt();
        ensure(extension);
        pos += extension;
    }

    /** Moves to the next row; false at the end. */
    boolean next() throws SQLException {
        if (!ensure(2)) {
            throw new SQLException("binary COPY stream ended without its trailer");
        }
        field = 0;
        fields = readShort();
        if (fields < 0) {
            while (copy.readFromCopy() != null) {
                // the end of the data: let the COPY finish so the connection is usable again
            }
            return false;
        }
        if (starts.length < fields) {
            starts = new int[fields];
            lengths = new int[fields];
        }
        // A row is one message: read its field table now.
        for (int f = 0; f < fields; f++) {
            field = f;
            ensure(4);
            int len = readInt();
            lengths[f] = len;
            starts[f] = pos;
            if (len > 0) {
                ensure(len);
                starts[f] = pos;
                pos += len;
            }
        }
        field = fields;
        return true;
    }

    boolean isNull(int column) {
        return lengths[column - 1] < 0;
    }

    long getLong(int column) {
        int at = starts[column - 1];
        return switch (lengths[column - 1]) {
            case 8 -> ((long) readIntAt(at) << 32) | (readIntAt(at + 4) & 0xffffffffL);
            case 4 -> readIntAt(at);
            case 2 -> (short) ((buf[at] & 0xff) << 8 | (buf[at + 1] & 0xff));
            default -> 0;
        };
    }

    int getInt(int column) {
        return (int) getLong(column);
    }

    boolean getBoolean(int column) {
        return lengths[column - 1] == 1 && buf[starts[column - 1]] != 0;
    }

    /** The text, one {@link String} instance per distinct value; null for NULL. */
    String getInterned(int column) {
        int len = lengths[column - 1];
        return len < 0 ? null : interned.of(buf, starts[column - 1], len);
    }

    private int readIntAt(int at) {
        return (buf[at] & 0xff) << 24 | (buf[at + 1] & 0xff) << 16 | (buf[at + 2] & 0xff) << 8 | (buf[at + 3] & 0xff);
    }

    private int readInt() {
        int v = readIntAt(pos);
        pos += 4;
        return v;
    }

    private int readShort() {
        int v = (short) ((buf[pos] & 0xff) << 8 | (buf[pos + 1] & 0xff));
        pos += 2;
        return v;
    }

    /**
     * Makes {@code n} bytes available at {@code pos}, taking the next message(s) if needed; false at the end. Bytes
     * of the current row read so far stay where they are (a row never spans messages, but the header may).
     */
    private boolean ensure(int n) throws SQLException {
        while (buf.length - pos < n) {
            byte[] more = copy.readFromCopy();
            if (more == null) {
                return false;
            }
            if (pos == buf.length) {
                buf = more;
                pos = 0;
            } else {
                int keep = buf.length - pos;
                byte[] joined = new byte[keep + more.length];
                System.arraycopy(buf, pos, joined, 0, keep);
                System.arraycopy(more, 0, joined, keep, more.length);
                // The row's field starts move with the bytes.
                for (int f = 0; f < field; f++) {
                    starts[f] -= pos;
                }
                buf = joined;
                pos = 0;
            }
        }
        return true;
    }

    /** Distinct short texts by their UTF-8 bytes: an open-addressing table compared byte by byte. */
    private static final class Interned {
        private byte[][] keys = new byte[256][];
        private String[] values = new String[256];
        private int size;

        String of(byte[] b, int from, int len) {
            int h = 1;
            for (int i = from; i < from + len; i++) {
                h = 31 * h + b[i];
            }
            int mask = keys.length - 1;
            int i = (h ^ (h >>> 16)) & mask;
            while (keys[i] != null) {
                if (keys[i].length == len && Arrays.equals(keys[i], 0, len, b, from, from + len)) {
                    return values[i];
                }
                i = (i + 1) & mask;
            }
            byte[] key = Arrays.copyOfRange(b, from, from + len);
            String value = new String(key, StandardCharsets.UTF_8);
            keys[i] = key;
            values[i] = value;
            if (++size * 2 > keys.length) {
                grow();
            }
            return value;
        }

        private void grow() {
            byte[][] oldKeys = keys;
            String[] oldValues = values;
            keys = new byte[oldKeys.length * 2][];
            values = new String[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != null) {
                    int h = 1;
                    for (byte x : oldKeys[j]) {
                        h = 31 * h + x;
                    }
                    int i = (h ^ (h >>> 16)) & mask;
                    while (keys[i] != null) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    values[i] = oldValues[j];
                }
            }
        }
    }
}
