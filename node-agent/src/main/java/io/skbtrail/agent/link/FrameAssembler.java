package io.skbtrail.agent.link;

/**
 * Joins the fragments of a WebSocket text message ({@code onText} parts up to the one marked last) and
 * refuses a message longer than a control frame may be: the server sends the agent control frames only.
 */
final class FrameAssembler {
    private final int maxChars;
    private final StringBuilder partial = new StringBuilder();

    FrameAssembler(int maxChars) {
        this.maxChars = maxChars;
    }

    /**
     * @return the whole message once {@code last}, else null
     * @throws IllegalArgumentException when the message grows past the cap (the parts so far are dropped)
     */
    String add(CharSequence part, boolean last) {
        if (partial.length() + part.length() > maxChars) {
            partial.setLength(0);
            throw new IllegalArgumentException("a message longer than " + maxChars + " characters");
        }
        if (last && partial.length() == 0) {
            return part.toString();
        }
        partial.append(part);
        if (!last) {
            return null;
        }
        String message = partial.toString();
        partial.setLength(0);
        return message;
    }
}
