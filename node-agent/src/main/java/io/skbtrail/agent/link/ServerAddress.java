package io.skbtrail.agent.link;

import java.net.URI;
import java.net.URISyntaxException;

/** The WebSocket address of a server's agent link, from the server URL the operator gives. */
public final class ServerAddress {
    /** Where the server accepts agents. */
    public static final String LINK_PATH = "/api/agent/link";

    private ServerAddress() {}

    /**
     * {@code http://host:port[/prefix]} becomes {@code ws://host:port[/prefix]/api/agent/link}, {@code https}
     * becomes {@code wss}; {@code ws://} and {@code wss://} are taken as they are; a URL already ending in
     * the link path is kept.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static URI linkUri(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--server " + url + ": not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        String ws = switch (scheme) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new IllegalArgumentException("--server takes an http://, https://, ws:// or wss:// URL, not \""
                    + url + "\"");
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("--server " + url + ": no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("--server " + url + ": a server URL has no query or fragment");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.endsWith(LINK_PATH)) {
            path = path + LINK_PATH;
        }
        try {
            return new URI(ws + "://" + uri.getRawAuthority() + path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--server " + url + ": " + e.getMessage());
        }
    }
}
