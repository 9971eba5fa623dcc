package io.skbtrail.agent.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class RotatingFileSinkTest {

    @TempDir
    Path dir;

    private static String line(int i) {
        return "event " + i + " " + "x".repeat(i % 13) + "\n";
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Test
    void rotatesAtSizeWithoutSplittingOrLosingLines() throws IOException {
        Path file = dir.resolve("trace.log");
        long maxBytes = 100;
        try (RotatingFileSink sink = new RotatingFileSink(file, maxBytes, 0)) {
            for (int i = 0; i < 200; i++) {
                sink.write(line(i));
            }
        }
        List<Path> files = new ArrayList<>();
        for (int n = 1; Files.exists(dir.resolve("trace.log." + n)); n++) {
            files.add(0, dir.resolve("trace.log." + n));
        }
        files.add(file);
        assertTrue(files.size() > 10, "rotated " + files.size());

        List<String> all = new ArrayList<>();
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            assertTrue(bytes.length <= maxBytes, f + " has " + bytes.length + " bytes");
            assertEquals('\n', bytes[bytes.length - 1], f + " ends mid-line");
            all.addAll(lines(f));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(line(i).substring(0, line(i).length() - 1));
        }
        assertEquals(expected, all, "oldest backup first, then the live file, hold every line in order");
    }

    @Test
    void keepsOnlyMaxBackupsNewestFirst() throws IOException {
        Path file = dir.resolve("trace.log");
        try (RotatingFileSink sink = new RotatingFileSink(file, 10, 2)) {
            for (int i = 0; i < 6; i++) {
                sink.write("line-" + i + "\n");   // 7 bytes: one line per file
            }
        }
        assertEquals(List.of("line-5"), lines(file));
        assertEquals(List.of("line-4"), lines(dir.resolve("trace.log.1")));
        assertEquals(List.of("line-3"), lines(dir.resolve("trace.log.2")));
        assertFalse(Files.exists(dir.resolve("trace.log.3")));
    }

    @Test
    void givesAnOversizedWriteAFileOfItsOwn() throws IOException {
        Path file = dir.resolve("trace.log");
        String big = "y".repeat(50) + "\n";
        try (RotatingFileSink sink = new RotatingFileSink(file, 20, 0)) {
            sink.write("a\n");
            sink.write(big);
            sink.write("b\n");
        }
        assertEquals(List.of("a"), lines(dir.resolve("trace.log.2")));
        assertEquals(List.of(big.strip()), lines(dir.resolve("trace.log.1")));
        assertEquals(List.of("b"), lines(file));
    }

    @Test
    void appendsToAnExistingFileAndCountsItsSize() throws IOException {
        Path file = dir.resolve("trace.log");
        Files.writeString(file, "old-1\nold-2\n");
        try (RotatingFileSink sink = new RotatingFileSink(file, 15, 1)) {
            sink.write("new-1\n");
        }
        assertEquals(List.of("old-1", "old-2"), lines(dir.resolve("trace.log.1")));
        assertEquals(List.of("new-1"), lines(file));
    }

    @Test
    void dropsBackupsBeyondALoweredLimit() throws IOException {
        Path file = dir.resolve("trace.log");
        for (int n = 1; n <= 4; n++) {
            Files.writeString(dir.resolve("trace.log." + n), "stale\n");
        }
        Files.writeString(file, "old\n");
        try (RotatingFileSink sink = new RotatingFileSink(file, 5, 2)) {
            sink.write("new\n");
        }
        assertEquals(List.of("new"), lines(file));
        assertEquals(List.of("old"), lines(dir.resolve("trace.log.1")));
        assertEquals(List.of("stale"), lines(dir.resolve("trace.log.2")));
        assertFalse(Files.exists(dir.resolve("trace.log.3")));
        assertFalse(Files.exists(dir.resolve("trace.log.4")));
    }

    @Test
    void createsMissingDirectories() throws IOException {
        Path file = dir.resolve("a/b/trace.log");
        try (RotatingFileSink sink = new RotatingFileSink(file, 1000, 0)) {
            sink.write("x\n");
            sink.flush();
            assertEquals(List.of("x"), lines(file));
        }
    }
}
