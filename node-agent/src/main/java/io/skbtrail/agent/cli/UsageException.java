package io.skbtrail.agent.cli;

/** A bad flag, flag value or filter: exit code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
