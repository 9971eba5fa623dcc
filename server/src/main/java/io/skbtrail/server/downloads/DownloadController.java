package io.skbtrail.server.downloads;

import io.skbtrail.server.events.EventParams;
import io.skbtrail.server.sharing.SharedSessionAccess;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/sessions/{id}/events.{ndjson,csv,pcapng}} (viewer) and the same under
 * {@code /api/shared/{token}/} (share link): the events query's filters, every matching event.
 */
@RestController
class DownloadController {
    private final EventDownloads downloads;
    private final SharedSessionAccess shared;

    DownloadController(EventDownloads downloads, SharedSessionAccess shared) {
        this.downloads = downloads;
        this.shared = shared;
    }

    @GetMapping("/api/sessions/{id}/events.ndjson")
    void ndjson(@PathVariable long id, EventParams params, HttpServletResponse response) throws IOException {
        downloads.download(id, params, EventDownloads.Format.NDJSON, response);
    }

    @GetMapping("/api/sessions/{id}/events.csv")
    void csv(@PathVariable long id, EventParams params, HttpServletResponse response) throws IOException {
        downloads.download(id, params, EventDownloads.Format.CSV, response);
    }

    @GetMapping("/api/sessions/{id}/events.pcapng")
    void pcapng(@PathVariable long id, EventParams params, HttpServletResponse response) throws IOException {
        downloads.download(id, params, EventDownloads.Format.PCAPNG, response);
    }

    @GetMapping("/api/shared/{token}/events.ndjson")
    void sharedNdjson(@PathVariable String token, EventParams params, HttpServletResponse response) throws IOException {
        downloads.download(shared.sessionId(token), params, EventDownloads.Format.NDJSON, response);
    }

    @GetMapping("/api/shared/{token}/events.csv")
    void sharedCsv(@PathVariable String token, EventParams params, HttpServletResponse response) throws IOException {
        downloads.download(shared.sessionId(token), params, EventDownloads.Format.CSV, response);
    }

    @GetMapping("/api/shared/{token}/events.pcapng")
    void sharedPcapng(@PathVariable String token, EventParams params, HttpServletResponse response) throws IOException {
        downloads.download(shared.sessionId(token), params, EventDownloads.Format.PCAPNG, response);
    }
}
