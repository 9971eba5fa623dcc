package io.skbtrail.agent.feature;

/**
 * The outcome of one capability check.
 *
 * @param reason why it is not available and what to do, or null when available
 */
public record Check(String name, boolean available, String reason) {
    public static Check ok(String name) {
        return new Check(name, true, null);
    }

    public static Check missing(String name, String reason) {
        return new Check(name, false, reason);
    }
}
