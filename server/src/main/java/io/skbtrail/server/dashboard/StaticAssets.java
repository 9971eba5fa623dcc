package io.skbtrail.server.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.CacheControl;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard's scripts and stylesheets under a path named by their content, {@code /assets/<hash>/…}
 * ({@code /assets/3f9c0a1b2c4d/js/session-view.js}), which browsers may keep for a year without asking again: a
 * page opened a second time loads no script or stylesheet from the server, where each one used to be requested
 * again (and the session page's modules one level after another). Any change to any file gives a new hash, so
 * a browser never runs stale code, and servers with the same files serve the same paths. Modules import each
 * other by relative paths, which stay under the same hash. Templates take the prefix from this bean
 * (model attribute {@code assets}: {@code @{__${assets}__/js/hosts.js}}); the same files stay at their plain paths ({@code /js/…}),
 * not cached.
 */
@Component
public class StaticAssets implements WebMvcConfigurer {
    static final String ROOT = "/assets/";
    private static final String LOCATION = "classpath:/static/";

    private final String prefix;

    StaticAssets() {
        this.prefix = ROOT + contentHash();
    }

    /** {@code /assets/<hash>}: put before a path under {@code web/static} ({@code /js/hosts.js}). */
    public String getPrefix() {
        return prefix;
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(prefix + "/**").addResourceLocations(LOCATION)
                .setCacheControl(CacheControl.maxAge(365, TimeUnit.DAYS).cachePrivate().immutable());
    }

    /** The first 12 hex digits of SHA-256 over every file under {@code static/} (its path and its bytes). */
    static String contentHash() {
        try {
            Resource[] files = new PathMatchingResourcePatternResolver().getResources(LOCATION + "**/*");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Resource[] readable = Arrays.stream(files).filter(Resource::isReadable)
                    .sorted(Comparator.comparing(StaticAssets::relativePath)).toArray(Resource[]::new);
            for (Resource file : readable) {
                sha.update(relativePath(file).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                try (InputStream in = file.getInputStream()) {
                    sha.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the dashboard's static files", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String relativePath(Resource file) {
        try {
            String url = file.getURL().toString();
            return url.substring(url.lastIndexOf("/static/") + "/static/".length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
