package io.skbtrail.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The skbtrail server: agents, trace sessions, event storage, REST API and dashboard. */
@SpringBootApplication
@EnableScheduling
// Repositories are declared next to the service that owns them, as nested interfaces.
@EnableJpaRepositories(considerNestedRepositories = true)
public class SkbtrailServer {

    public static void main(String[] args) {
        SpringApplication.run(SkbtrailServer.class, args);
    }
}
