package io.skbtrail.server.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The default database: with no {@code spring.datasource.url} (env {@code SPRING_DATASOURCE_URL}), the
 * server runs its own PostgreSQL with its data in {@code SKBTRAIL_DATA_DIR} (default {@code ./data}),
 * kept across restarts. The same Flyway migrations run on it as on an external PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatasourceUrl.class)
public class EmbeddedDatabase {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(@Value("${skbtrail.data-dir:./data}") String dataDir) throws IOException {
        Path pgData = Path.of(dataDir).toAbsolutePath().normalize().resolve("postgres");
        Files.createDirectories(pgData);
        StalePostmaster.clear(pgData);
        log.info("Starting the embedded PostgreSQL in {} (set SPRING_DATASOURCE_URL to use your own)", pgData);
        return EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                // The server stops it; a JVM killed hard leaves it running, and StalePostmaster stops it
                // at the next start.
                .setRegisterShutdownHook(true)
                .setServerConfig("max_connections", "50")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("max_wal_size", "2GB")
                .setServerConfig("synchronous_commit", "off")
                .setPGStartupWait(java.time.Duration.ofSeconds(60))
                .start();
    }

    @Bean
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
        config.setUsername("postgres");
        config.setMaximumPoolSize(12);
        config.setPoolName("embedded-postgres");
        return new HikariDataSource(config);
    }
}
