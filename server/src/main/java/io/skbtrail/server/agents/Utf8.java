package io.skbtrail.server.agents;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Checks that bytes are valid UTF-8, quickly for the common case of plain ASCII. */
final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private Utf8() {}

    static boolean isValid(byte[] bytes, int from, int to) {
        // In pieces of 4 KiB: a short method called often is compiled early and well, where one long loop
        // run once per frame would wait in the interpreter for an on-stack replacement.
        for (int i = from; i < to; i += CHUNK) {
            int ascii = asciiPrefix(bytes, i, Math.min(to, i + CHUNK));
            if (ascii >= 0) {
                return decodes(bytes, ascii, to);
            }
        }
        return true;
    }

    private static final int CHUNK = 4096;

    /** Where the first byte with its high bit is in {@code bytes[from, to)}, or -1 when all are ASCII. */
    private static int asciiPrefix(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            if (((long) LONGS.get(bytes, i) & HIGH_BITS) != 0) {
                break;
            }
        }
        for (; i < to; i++) {
            if (bytes[i] < 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The strict decoder's verdict on {@code bytes[from, to)}; {@code from} starts a character (only ASCII
     * was before it).
     */
    private static boolean decodes(byte[] bytes, int from, int to) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
