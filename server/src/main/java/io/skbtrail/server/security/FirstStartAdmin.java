package io.skbtrail.server.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * On the very first start (no users at all) creates the user {@code admin}: with the password from
 * {@code SKBTRAIL_ADMIN_PASSWORD} (property {@code skbtrail.admin-password}), or else a random one printed
 * once in the log. Runs before the web server opens its port, so nobody can race it.
 */
@Component
class FirstStartAdmin implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(FirstStartAdmin.class);
    static final String USERNAME = "admin";

    private final UserAccounts users;
    private final String configuredPassword;

    FirstStartAdmin(UserAccounts users, @Value("${skbtrail.admin-password:}") String configuredPassword) {
        this.users = users;
        this.configuredPassword = configuredPassword;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!users.none()) {
            return;
        }
        if (!configuredPassword.isBlank()) {
            if (configuredPassword.length() < UserAccounts.MIN_PASSWORD_LENGTH) {
                throw new IllegalStateException("SKBTRAIL_ADMIN_PASSWORD is too short: at least "
                        + UserAccounts.MIN_PASSWORD_LENGTH + " characters");
            }
            users.createFirstAdmin(USERNAME, configuredPassword);
            log.warn("skbtrail: created user {} with the password from SKBTRAIL_ADMIN_PASSWORD", USERNAME);
            return;
        }
        // 256 random bits; the log line is the only place it ever appears.
        String password = Secrets.random();
        users.createFirstAdmin(USERNAME, password);
        log.warn("skbtrail: created user " + USERNAME + " with password " + password
                + " ; change it now: curl -u " + USERNAME + " -X PUT -H 'Content-Type: application/json'"
                + " -d '{\"password\":\"NEW PASSWORD\"}' http://SERVER:8080/api/users/" + USERNAME
                + " (this password is not shown again)");
    }
}
