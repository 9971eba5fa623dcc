package io.skbtrail.server.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what.
 *
 * <ul>
 *   <li>Browsers sign in on the form at {@code /login} (session cookie). Every state-changing request from a
 *       browser session needs the CSRF token: forms carry it as {@code _csrf}, scripts of the dashboard send
 *       the {@code XSRF-TOKEN} cookie's value in the {@code X-XSRF-TOKEN} header.</li>
 *   <li>Scripts use HTTP Basic on /api/** and need no CSRF token: a request with an {@code Authorization}
 *       header is exempt, unless a browser marks it cross-site ({@code Sec-Fetch-Site}), which covers
 *       credentials a browser cached after a Basic pop-up.</li>
 *   <li>{@code /api/agent/link} (agents; bearer token checked by the link itself) and
 *       {@code /api/shared/**}, {@code /s/**} (share links; the token in the path is the credential) need no
 *       login and no CSRF token.</li>
 *   <li>Roles: viewer reads ({@code GET /api/**}) and checks filters ({@code POST /api/filters/check}), operator
 *       starts/stops/shares sessions (and gets the filter builder page, {@code /sessions/new}), admin manages agent
 *       tokens, users, retention, deletes sessions and reads the audit log. Any other non-GET /api request
 *       is admin-only until it gets a rule here.</li>
 *   <li>A browser session ends as soon as its user is deleted, disabled or changes role
 *       ({@link SignedInUserCheck}).</li>
 *   <li>401 and 403 on /api/** answer problem+json (see {@link ApiAuthenticationEntryPoint} for when the
 *       Basic challenge is sent); other pages redirect to the login form.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {
    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    /**
     * The dashboard runs only its own scripts (no inline script, no eval) and talks only to this server: even
     * a host-provided string that slipped into the page as markup could not run.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, UserAccounts users) throws Exception {
        RequestMatcher api = PATHS.matcher("/api/**");
        AuthenticationEntryPoint apiEntryPoint = new ApiAuthenticationEntryPoint();
        AuthenticationEntryPoint loginPage = new LoginUrlAuthenticationEntryPoint("/login");
        AccessDeniedHandler apiDenied = new ApiAccessDeniedHandler();
        AccessDeniedHandler pageDenied = new AccessDeniedHandlerImpl();

        http.authorizeHttpRequests(auth -> auth
                .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.FORWARD).permitAll()
                .requestMatchers("/login", "/assets/**", "/css/**", "/js/**", "/images/**", "/webjars/**", "/favicon.ico")
                        .permitAll()
                .requestMatchers("/api/agent/link", "/api/shared/**", "/s/**").permitAll()
                .requestMatchers(HttpMethod.POST, "/api/sessions", "/api/sessions/*/stop", "/api/sessions/*/share")
                        .hasRole(Role.OPERATOR.name())
                .requestMatchers(HttpMethod.DELETE, "/api/share/*").hasRole(Role.OPERATOR.name())
                .requestMatchers(HttpMethod.POST, "/api/filters/check").hasRole(Role.VIEWER.name())
                .requestMatchers("/sessions/new").hasRole(Role.OPERATOR.name())
                .requestMatchers(HttpMethod.DELETE, "/api/sessions/*").hasRole(Role.ADMIN.name())
                .requestMatchers("/api/agent-tokens/**", "/api/users/**", "/api/retention/**", "/api/audit/**")
                        .hasRole(Role.ADMIN.name())
                .requestMatchers(HttpMethod.GET, "/api/**").hasRole(Role.VIEWER.name())
                .requestMatchers("/api/**").hasRole(Role.ADMIN.name())
                .anyRequest().hasRole(Role.VIEWER.name()));

        http.csrf(csrf -> csrf
                .spa()
                .ignoringRequestMatchers(PATHS.matcher("/api/agent/link"), PATHS.matcher("/api/shared/**"),
                        PATHS.matcher("/s/**"), SecurityConfig::isScriptWithCredentials));

        // After signing in, a browser returns to the page it first asked for; API requests are not
        // remembered (that would create a session for every unauthenticated API call).
        HttpSessionRequestCache pagesOnly = new HttpSessionRequestCache();
        pagesOnly.setRequestMatcher(new NegatedRequestMatcher(api));
        http.requestCache(cache -> cache.requestCache(pagesOnly));
        http.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
        http.formLogin(form -> form.loginPage("/login").permitAll());
        http.logout(logout -> logout.logoutSuccessUrl("/login?logout"));
        http.httpBasic(basic -> basic.realmName(ApiAuthenticationEntryPoint.REALM).authenticationEntryPoint(apiEntryPoint));
        http.addFilterAfter(new SignedInUserCheck(users), BasicAuthenticationFilter.class);
        http.exceptionHandling(errors -> errors
                .authenticationEntryPoint((request, response, failure) ->
                        (api.matches(request) ? apiEntryPoint : loginPage).commence(request, response, failure))
                .accessDeniedHandler((request, response, denied) ->
                        (api.matches(request) ? apiDenied : pageDenied).handle(request, response, denied)));
        return http.build();
    }

    /**
     * A request that brings its own credentials ({@code Authorization} header) and that no browser marked as
     * coming from another site. Such a request cannot be forged by a page on another site (it cannot set the
     * header without a CORS preflight, which this server never grants), so it needs no CSRF token.
     */
    static boolean isScriptWithCredentials(HttpServletRequest request) {
        if (request.getHeader("Authorization") == null) {
            return false;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        return site == null || site.equalsIgnoreCase("same-origin") || site.equalsIgnoreCase("none");
    }

    /** admin ⊃ operator ⊃ viewer */
    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(Role.ADMIN.name()).implies(Role.OPERATOR.name())
                .role(Role.OPERATOR.name()).implies(Role.VIEWER.name())
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new VerifiedPasswordCache(new BCryptPasswordEncoder());
    }
}
