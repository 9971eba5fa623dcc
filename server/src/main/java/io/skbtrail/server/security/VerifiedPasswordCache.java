package io.skbtrail.server.security;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * BCrypt on purpose costs ~50-100 ms of CPU per check, and scripts send HTTP Basic on every request: a
 * script polling the API every 100 ms would keep a core busy. This encoder remembers, for ten minutes, that a
 * password matched a stored hash (by a SHA-256 of both, never the password itself). A changed password
 * means a new stored hash, so a remembered match can never accept an old password; a disabled or demoted
 * user is still checked on every request (the user is loaded each time).
 */
final class VerifiedPasswordCache implements PasswordEncoder {
    private static final int CAPACITY = 1024;
    private static final long TTL_MILLIS = 10 * 60 * 1000;

    private final PasswordEncoder delegate;
    private final Map<String, Long> verified = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > CAPACITY;
        }
    };

    VerifiedPasswordCache(PasswordEncoder delegate) {
        this.delegate = delegate;
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return delegate.matches(rawPassword, encodedPassword);
        }
        String key = Secrets.sha256(encodedPassword + "\u0000" + rawPassword);
        long now = System.currentTimeMillis();
        synchronized (verified) {
            Long at = verified.get(key);
            if (at != null && now - at < TTL_MILLIS) {
                return true;
            }
        }
        boolean ok = delegate.matches(rawPassword, encodedPassword);
        if (ok) {
            synchronized (verified) {
                verified.put(key, now);
            }
        }
        return ok;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }
}
