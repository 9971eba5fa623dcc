package io.skbtrail.agent.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU counts as the kernel sizes per-CPU maps: by possible CPUs, not online ones. */
public final class Cpus {
    private Cpus() {}

    /** Number of possible CPUs, from {@code /sys/devices/system/cpu/possible} ("0-3,5"). */
    public static int possible() {
        try {
            return parseRangeCount(Files.readString(Path.of("/sys/devices/system/cpu/possible")).trim());
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    static int parseRangeCount(String ranges) {
        int max = -1;
        for (String part : ranges.split(",")) {
            String[] bounds = part.split("-");
            max = Math.max(max, Integer.parseInt(bounds[bounds.length - 1].trim()));
        }
        return max + 1;
    }
}
