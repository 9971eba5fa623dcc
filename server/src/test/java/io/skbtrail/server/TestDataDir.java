package io.skbtrail.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One fresh embedded-PostgreSQL data directory per test JVM, set before the first Spring context starts,
 * so every test class shares one database (and Spring's cached context) and no run sees an earlier one's.
 */
public final class TestDataDir {
    private static Path dir;

    private TestDataDir() {}

    public static synchronized Path use() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("skbtrail-test-db");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            System.setProperty("skbtrail.data-dir", dir.toString());
        }
        return dir;
    }
}
