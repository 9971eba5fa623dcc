package io.skbtrail.server.journeys;

import io.skbtrail.server.sharing.SharedSessionAccess;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/sessions/{id}/journeys} (list), {@code …/journeys/{jid}} (one journey),
 * {@code …/journeys/{jid}.ndjson} and {@code .pcapng} (export); the same under {@code /api/shared/{token}/}.
 */
@RestController
class JourneyController {
    private final JourneyService journeys;
    private final JourneyExport export;
    private final SharedSessionAccess shared;

    JourneyController(JourneyService journeys, JourneyExport export, SharedSessionAccess shared) {
        this.journeys = journeys;
        this.export = export;
        this.shared = shared;
    }

    @GetMapping(value = "/api/sessions/{id}/journeys", produces = MediaType.APPLICATION_JSON_VALUE)
    String list(@PathVariable long id, @RequestParam(required = false) String state,
            @RequestParam(required = false) String host, @RequestParam(required = false) String host2,
            @RequestParam(required = false) String reason, @RequestParam(required = false) String after,
            @RequestParam(required = false) String limit) {
        return journeys.page(id, new JourneyList.Params(state, host, host2, reason, after, limit));
    }

    @GetMapping(value = "/api/sessions/{id}/journeys/{jid}", produces = MediaType.APPLICATION_JSON_VALUE)
    String detail(@PathVariable long id, @PathVariable String jid) {
        return journeys.detail(id, jid);
    }

    @GetMapping("/api/sessions/{id}/journeys/{jid}.ndjson")
    void ndjson(@PathVariable long id, @PathVariable String jid, HttpServletResponse response) throws IOException {
        export.ndjson(id, jid, response);
    }

    @GetMapping("/api/sessions/{id}/journeys/{jid}.pcapng")
    void pcapng(@PathVariable long id, @PathVariable String jid, HttpServletResponse response) throws IOException {
        export.pcapng(id, jid, response);
    }

    @GetMapping(value = "/api/shared/{token}/journeys", produces = MediaType.APPLICATION_JSON_VALUE)
    String sharedList(@PathVariable String token, @RequestParam(required = false) String state,
            @RequestParam(required = false) String host, @RequestParam(required = false) String host2,
            @RequestParam(required = false) String reason, @RequestParam(required = false) String after,
            @RequestParam(required = false) String limit) {
        return journeys.page(shared.sessionId(token), new JourneyList.Params(state, host, host2, reason, after, limit));
    }

    @GetMapping(value = "/api/shared/{token}/journeys/{jid}", produces = MediaType.APPLICATION_JSON_VALUE)
    String sharedDetail(@PathVariable String token, @PathVariable String jid) {
        return journeys.detail(shared.sessionId(token), jid);
    }

    @GetMapping("/api/shared/{token}/journeys/{jid}.ndjson")
    void sharedNdjson(@PathVariable String token, @PathVariable String jid, HttpServletResponse response)
            throws IOException {
        export.ndjson(shared.sessionId(token), jid, response);
    }

    @GetMapping("/api/shared/{token}/journeys/{jid}.pcapng")
    void sharedPcapng(@PathVariable String token, @PathVariable String jid, HttpServletResponse response)
            throws IOException {
        export.pcapng(shared.sessionId(token), jid, response);
    }
}
