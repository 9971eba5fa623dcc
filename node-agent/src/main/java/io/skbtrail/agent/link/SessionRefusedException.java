package io.skbtrail.agent.link;

/** A session cannot be armed or changed; the message is for the user, as {@code trace} would print it. */
public final class SessionRefusedException extends Exception {
    public SessionRefusedException(String message) {
        super(message);
    }
}
