package io.skbtrail.agent.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A buffered file sink that rotates by size: when the next write would take {@code file} past
 * {@code maxBytes}, {@code file} becomes {@code file.1}, {@code file.1} becomes {@code file.2}, and so on,
 * and writing continues in a new, empty {@code file}. Only {@code maxBackups} rotated files are kept
 * (0 = keep all). A write is never split across files, so a line (or record) is whole in one file; a
 * single write larger than {@code maxBytes} gets a file of its own.
 *
 * <p>An existing {@code file} is appended to. Missing parent directories are created. {@link #flush()}
 * hands the buffer to the OS (no fsync). The caller must {@link #close()} the sink. Not thread-safe.
 */
public final class RotatingFileSink implements OutputSink {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path file;
    private final long maxBytes;
    private final int maxBackups;
    private final Utf8Buffer buffer = new Utf8Buffer(BUFFER_BYTES + 4096);
    private FileChannel channel;
    /** Bytes already in {@code file}, not counting the buffer. */
    private long fileBytes;

    /**
     * Opens (or creates) {@code file} for appending.
     *
     * @param maxBytes rotate before a write would make the file larger than this (at least 1)
     * @param maxBackups rotated files to keep, {@code file.1} newest; 0 keeps all
     */
    public RotatingFileSink(Path file, long maxBytes, int maxBackups) throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1: " + maxBytes);
        }
        if (maxBackups < 0) {
            throw new IllegalArgumentException("maxBackups must be >= 0: " + maxBackups);
        }
        this.file = file.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.maxBackups = maxBackups;
        Path parent = this.file.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        open();
    }

    private void open() throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        fileBytes = channel.size();
    }

    /** The rotated file with this number: {@code file.1} is the newest. */
    public Path backup(int number) {
        return file.resolveSibling(file.getFileName() + "." + number);
    }

    @Override
    public void write(CharSequence lines) throws IOException {
        int before = buffer.length();
        buffer.append(lines);
        if (fileBytes + buffer.length() > maxBytes && fileBytes + before > 0) {
            writeOut(before);
            buffer.discardFront(before);
            rotate();
        }
        if (buffer.length() >= BUFFER_BYTES) {
            writeOut(buffer.length());
            buffer.clear();
        }
    }

    private void writeOut(int count) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(buffer.array(), 0, count);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        fileBytes += count;
    }

    private void rotate() throws IOException {
        channel.close();
        int keep = maxBackups;
        if (keep == 0) {
            keep = 1;
            while (Files.exists(backup(keep))) {
                keep++;
            }
        } else {
            // Also drops backups left beyond the limit by an earlier run with a larger limit.
            for (int n = keep; Files.exists(backup(n)); n++) {
                Files.delete(backup(n));
            }
        }
        for (int n = keep - 1; n >= 1; n--) {
            if (Files.exists(backup(n))) {
                Files.move(backup(n), backup(n + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, backup(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    @Override
    public void flush() throws IOException {
        if (buffer.length() > 0) {
            writeOut(buffer.length());
            buffer.clear();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }
}
