package io.skbtrail.agent.link;

/** The server answered the WebSocket handshake with 401 or 403: the token is wrong or revoked. */
final class TokenRefusedException extends Exception {
    final int status;

    TokenRefusedException(int status) {
        super("HTTP " + status);
        this.status = status;
    }
}
