package io.skbtrail.agent.output;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A buffered sink over an {@link OutputStream}, typically stdout. Text is encoded into a reused buffer
 * and handed to the stream when the buffer passes {@value #BUFFER_BYTES} bytes or on {@link #flush()}.
 */
public final class StreamSink implements OutputSink {

    /** Buffered bytes after which a write goes through to the stream. */
    public static final int BUFFER_BYTES = 64 * 1024;

    private final OutputStream out;
    private final boolean closeStream;
    private final Utf8Buffer buffer = new Utf8Buffer(BUFFER_BYTES + 4096);

    /**
     * @param out receives the bytes
     * @param closeStream whether {@link #close()} also closes {@code out}
     */
    public StreamSink(OutputStream out, boolean closeStream) {
        this.out = out;
        this.closeStream = closeStream;
    }

    /** A sink on file descriptor 1 that bypasses {@code System.out}'s locking; closing it leaves fd 1 open. */
    public static StreamSink stdout() {
        return new StreamSink(new FileOutputStream(FileDescriptor.out), false);
    }

    @Override
    public void write(CharSequence lines) throws IOException {
        buffer.append(lines);
        if (buffer.length() >= BUFFER_BYTES) {
            drain();
        }
    }

    private void drain() throws IOException {
        if (buffer.length() > 0) {
            out.write(buffer.array(), 0, buffer.length());
            buffer.clear();
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            if (closeStream) {
                out.close();
            }
        }
    }
}
