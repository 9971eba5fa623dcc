package io.skbtrail.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Browser WebSockets are accepted from the server's own origin and the configured ones only. */
@Tag("unit")
class SameOriginHandshakeInterceptorTest {
    private final SameOriginHandshakeInterceptor interceptor =
            new SameOriginHandshakeInterceptor(List.of("https://skbtrail.example.com", " http://localhost:3000 "));

    @Test
    void acceptsTheServersOwnOrigin() {
        assertThat(handshake("http", "skbtrail.lan", 8080, "http://skbtrail.lan:8080")).isEqualTo(101);
        assertThat(handshake("https", "skbtrail.lan", 443, "https://SKBTRAIL.lan")).isEqualTo(101);
    }

    @Test
    void acceptsConfiguredOrigins() {
        assertThat(handshake("http", "10.0.0.5", 8080, "https://skbtrail.example.com")).isEqualTo(101);
        assertThat(handshake("http", "10.0.0.5", 8080, "http://localhost:3000")).isEqualTo(101);
    }

    @Test
    void refusesOtherSitesOtherPortsAndMissingOrigin() {
        assertThat(handshake("http", "skbtrail.lan", 8080, "http://evil.example")).isEqualTo(403);
        assertThat(handshake("http", "skbtrail.lan", 8080, "http://skbtrail.lan:8081")).isEqualTo(403);
        assertThat(handshake("https", "skbtrail.lan", 443, "http://skbtrail.lan")).isEqualTo(403);
        assertThat(handshake("http", "skbtrail.lan", 8080, "null")).isEqualTo(403);
        assertThat(handshake("http", "skbtrail.lan", 8080, null)).isEqualTo(403);
    }

    /** 101 if the interceptor lets the handshake go on, else the status it set. */
    private int handshake(String scheme, String host, int port, String origin) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/sessions/1/live");
        request.setScheme(scheme);
        request.setServerName(host);
        request.setServerPort(port);
        if (origin != null) {
            request.addHeader("Origin", origin);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        boolean allowed = interceptor.beforeHandshake(new ServletServerHttpRequest(request),
                new ServletServerHttpResponse(response), null, new HashMap<>());
        return allowed ? 101 : response.getStatus();
    }
}
