package io.skbtrail.agent.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Interface lookups inside a network namespace. Interface names are per netns, and /sys/class/net
 * shows the netns sysfs was mounted in, not ours: ask rtnetlink from inside the netns instead
 * ({@code nsenter --net=PATH ip -o link}).
 */
public final class Interfaces {
    private Interfaces() {}

    /** The ifindex of {@code name} in {@code netns}. */
    public static int ifindex(NetnsRef netns, String name) {
        List<String> command = new ArrayList<>();
        if (netns.path() != null) {
            command.addAll(List.of("nsenter", "--net=" + netns.path()));
        }
        command.addAll(List.of("ip", "-o", "link", "show", "dev", name));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalArgumentException("--filter-ifname " + name + ": no such interface in netns "
                        + (netns.path() != null ? netns.path() : "inode:" + netns.inode())
                        + (out.isEmpty() ? "" : " (" + out.lines().findFirst().orElse("") + ")"));
            }
            return Integer.parseInt(out.substring(0, out.indexOf(':')).trim());
        } catch (IOException e) {
            throw new IllegalStateException("look up interface " + name + ": " + e.getMessage()
                    + " (needs iproute2 and util-linux: apt-get install iproute2 util-linux)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("look up interface " + name + ": interrupted", e);
        }
    }
}
