package io.skbtrail.agent.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about this host that every event carries. */
public final class HostFacts {
    private HostFacts() {}

    /** This boot's id: kernel times and skb addresses are only comparable within one boot. */
    public static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("read boot id", e);
        }
    }
}
