package io.skbtrail.agent.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class StreamSinkTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void buffersUntilFlush() throws IOException {
        StreamSink sink = new StreamSink(out, false);
        sink.write("a\n");
        assertEquals(0, out.size());
        sink.flush();
        assertEquals("a\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void writesThroughOnceTheBufferIsFull() throws IOException {
        StreamSink sink = new StreamSink(out, false);
        String line = "x".repeat(1023) + "\n";
        for (int i = 0; i < StreamSink.BUFFER_BYTES / line.length(); i++) {
            sink.write(line);
        }
        assertEquals(StreamSink.BUFFER_BYTES, out.size());
    }

    @Test
    void encodesUtf8AndReplacesUnpairedSurrogates() throws IOException {
        String text = "é€😀 \ud800 \udc00x\n";
        try (StreamSink sink = new StreamSink(out, true)) {
            sink.write(text);
        }
        assertArrayEquals("é€😀 ? ?x\n".getBytes(StandardCharsets.UTF_8), out.toByteArray());
    }
}
