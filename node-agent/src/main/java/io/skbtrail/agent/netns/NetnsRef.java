package io.skbtrail.agent.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A network namespace as the user names it: a path ({@code /proc/PID/ns/net}, {@code /run/netns/NAME})
 * or {@code inode:N}. The kernel identifies a netns by the inode of its nsfs file.
 *
 * @param path the nsfs path, or null when given as an inode
 */
public record NetnsRef(long inode, Path path) {

    /** This process's own netns. */
    public static NetnsRef self() {
        return parse("/proc/self/ns/net");
    }

    /**
     * @throws IllegalArgumentException with a message for the user
     */
    public static NetnsRef parse(String spec) {
        if (spec.startsWith("inode:")) {
            try {
                long inode = Long.parseLong(spec.substring(6));
                if (inode <= 0 || inode > 0xffffffffL) {
                    throw new NumberFormatException();
                }
                return new NetnsRef(inode, null);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--filter-netns inode:N needs a positive 32-bit number, not \""
                        + spec.substring(6) + "\"");
            }
        }
        if (!spec.startsWith("/")) {
            throw new IllegalArgumentException("--filter-netns takes a path (/proc/PID/ns/net, /run/netns/NAME)"
                    + " or inode:N, not \"" + spec + "\"");
        }
        Path path = Path.of(spec);
        try {
            return new NetnsRef(((Number) Files.getAttribute(path, "unix:ino")).longValue(), path);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("--filter-netns " + spec + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    public Optional<Path> nsfsPath() {
        return Optional.ofNullable(path);
    }
}
