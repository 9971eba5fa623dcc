package io.skbtrail.agent.cli;

import io.skbtrail.agent.btf.KernelBtf;
import io.skbtrail.agent.event.HostFacts;
import io.skbtrail.agent.feature.BackendProbe;
import io.skbtrail.agent.feature.Check;
import io.skbtrail.agent.feature.HostFeatures;
import io.skbtrail.agent.ksym.Kallsyms;
import io.skbtrail.agent.libbpf.LibBpfLog;
import io.skbtrail.agent.link.AgentLink;
import io.skbtrail.agent.link.FilterScope;
import io.skbtrail.agent.link.HostIdentity;
import io.skbtrail.agent.link.LinkSettings;
import io.skbtrail.agent.link.ServerAddress;
import io.skbtrail.protocol.AgentFrame;
import io.skbtrail.protocol.EventBatch;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code skbtrail-agent connect --server URL --token TOKEN [flags]}: this host as one agent of a fleet.
 * Parses the flags, learns what the kernel allows, and hands over to {@link AgentLink}.
 */
final class ConnectCommand {
    /** Flag name → takes a value. */
    static final Map<String, Boolean> FLAGS = new LinkedHashMap<>();

    static {
        for (String f : new String[] {"server", "token", "token-file", "name", "label", "backend", "filter-netns",
                "filter-ifname", "batch-millis", "batch-events", "buffer-events", "kernel-btf"}) {
            FLAGS.put(f, true);
        }
        FLAGS.put("debug", false);
        FLAGS.put("help", false);
    }

    static final String TOKEN_ENV = "SKBTRAIL_AGENT_TOKEN";

    /**
     * Sessions at once. Each session arms its own probes: with plain kprobes that is ~1,500 kprobes per
     * session, each attached and released one by one (a release waits for an RCU grace period), so a kprobe
     * agent runs one session at a time; kprobe.multi links and tracepoints are cheap to have twice.
     */
    static final int MAX_SESSIONS = 8;

    private final PrintStream err;
    private final Supplier<StopSignal> stopSignal;
    private final Map<String, String> env;

    ConnectCommand(PrintStream err, Supplier<StopSignal> stopSignal, Map<String, String> env) {
        this.err = err;
        this.stopSignal = stopSignal;
        this.env = env;
    }

    /** The parsed flags, before anything touches the kernel. */
    record Request(URI server, String token, String name, Map<String, String> labels, String backend,
            FilterScope scope, Path kernelBtf, int batchMillis, int batchEvents, long bufferEvents, boolean debug) {
        @Override
        public String toString() {
            return "Request[server=" + server + ", token=(hidden), name=" + name + "]";
        }
    }

    int run(String[] args) throws IOException {
        Flags flags = Flags.parse(args, 1, FLAGS);
        if (flags.bool("help", false)) {
            System.out.print(Usage.CONNECT);
            return Main.EXIT_OK;
        }
        Request request = parse(flags, env);
        LibBpfLog.setDebug(request.debug());
        Optional<Check> failure = HostFeatures.firstFailure(request.kernelBtf());
        if (failure.isPresent()) {
            err.println("skbtrail-agent: " + failure.get().reason());
            return Main.EXIT_FAILURE;
        }
        KernelBtf btf = KernelBtf.load(request.kernelBtf() != null ? request.kernelBtf() : HostFeatures.VMLINUX_BTF);
        Kallsyms kallsyms = Kallsyms.load();
        long consumeSkb = kallsyms.addressesOf("consume_skb").stream().findFirst().orElse(0L);
        Backends.Choice backend = Backends.choose(request.backend(), consumeSkb);
        err.println("skbtrail-agent: " + backend.explanation());
        List<AgentFrame.Backend> backends = BackendProbe.run(consumeSkb).all().stream()
                .map(c -> new AgentFrame.Backend(c.name(), c.available(), c.reason())).toList();
        SessionTracing tracing = new SessionTracing(btf, kallsyms, backend, err, request.debug());
        String warmUpFailure = tracing.warmUp();
        if (warmUpFailure != null) {
            err.println("skbtrail-agent: the probes do not load on this host, sessions will be refused: "
                    + warmUpFailure);
        }
        HostIdentity host = new HostIdentity(request.name(), request.labels(), UUID.randomUUID().toString(),
                HostFacts.bootId(), Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(),
                System.getProperty("os.arch"), agentVersion(), tracing.backendName(), backends,
                backend.kind() == Backends.Kind.KPROBE ? 1 : MAX_SESSIONS);
        List<String> agentArgs = new ArrayList<>();
        if (request.kernelBtf() != null) {
            agentArgs.add("--kernel-btf=" + request.kernelBtf());
        }
        warnIfTheHeapIsSmall(request.bufferEvents());
        if (request.server().getScheme().equals("ws") && !isLoopback(request.server().getHost())) {
            err.println("skbtrail-agent: " + request.server() + " is not encrypted: the token and the events travel"
                    + " in clear (use https://)");
        }
        LinkSettings settings = new LinkSettings(request.server(), request.token(), request.scope(), agentArgs,
                request.batchMillis(), request.batchEvents(), request.bufferEvents());
        AgentLink link = new AgentLink(settings, host, tracing, err);
        stopSignal.get().onStop(link::requestShutdown);
        return link.run();
    }

    static Request parse(Flags flags, Map<String, String> env) {
        if (!flags.positional().isEmpty()) {
            throw new UsageException("connect takes no filter: the server sends one per session (unexpected \""
                    + String.join(" ", flags.positional()) + "\")");
        }
        if (!flags.has("server")) {
            throw new UsageException("connect needs --server URL (the skbtrail server, e.g. https://skbtrail.example:8443)");
        }
        URI server;
        try {
            server = ServerAddress.linkUri(flags.string("server", ""));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        String name = flags.has("name") ? flags.string("name", "") : hostName();
        if (name.isBlank() || name.length() > 255 || name.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new UsageException("--name takes 1 to 255 printable characters without spaces, not \"" + name + "\"");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String label : flags.all("label")) {
            int eq = label.indexOf('=');
            if (eq <= 0 || label.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new UsageException("--label takes key=value, not \"" + label + "\"");
            }
            if (labels.put(label.substring(0, eq), label.substring(eq + 1)) != null) {
                throw new UsageException("--label " + label.substring(0, eq) + " given twice");
            }
        }
        String backend = flags.string("backend", "auto");
        if (!backend.matches("auto|tracepoint|kprobe|kprobe-multi")) {
            throw new UsageException("--backend takes auto, kprobe-multi, kprobe or tracepoint, not \"" + backend + "\"");
        }
        FilterScope scope = scope(flags);
        return new Request(server, token(flags, env), name, labels, backend, scope,
                flags.has("kernel-btf") ? Path.of(flags.string("kernel-btf", "")) : null,
                (int) flags.number("batch-millis", 100, 1, 60_000),
                (int) flags.number("batch-events", 4096, 1, EventBatch.MAX_RECORDS),
                flags.number("buffer-events", 1_000_000, 1, 1_000_000_000L), flags.bool("debug", false));
    }

    /**
     * The agent's own --filter-netns/--filter-ifname, checked now by the {@code trace} parser (a wrong netns
     * or interface is a usage error at start, not a surprise at the first session).
     */
    private static FilterScope scope(Flags flags) {
        List<String> check = new ArrayList<>();
        for (String f : new String[] {"filter-netns", "filter-ifname"}) {
            if (flags.has(f)) {
                check.add("--" + f + "=" + flags.string(f, ""));
            }
        }
        if (check.isEmpty()) {
            return FilterScope.ANY;
        }
        TraceRequest.parse(Flags.parse(check.toArray(String[]::new), 0, TraceRequest.FLAGS));
        return new FilterScope(flags.has("filter-netns") ? flags.string("filter-netns", "") : null,
                flags.has("filter-ifname") ? flags.string("filter-ifname", "") : null);
    }

    /** --token, else --token-file, else $SKBTRAIL_AGENT_TOKEN (the last two keep it out of ps). */
    private static String token(Flags flags, Map<String, String> env) {
        if (flags.has("token") && flags.has("token-file")) {
            throw new UsageException("give --token or --token-file, not both");
        }
        String token;
        String source;
        if (flags.has("token")) {
            token = flags.string("token", "");
            source = "--token";
        } else if (flags.has("token-file")) {
            Path file = Path.of(flags.string("token-file", ""));
            try {
                token = Files.readString(file).trim();
            } catch (IOException e) {
                throw new UsageException("--token-file " + file + ": cannot read it (" + e.getMessage() + ")");
            }
            source = "--token-file " + file;
        } else if (env.get(TOKEN_ENV) != null) {
            token = env.get(TOKEN_ENV).trim();
            source = TOKEN_ENV;
        } else {
            throw new UsageException("connect needs a token: --token-file FILE, $" + TOKEN_ENV + " or --token TOKEN");
        }
        if (token.isEmpty() || token.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            throw new UsageException(source + ": the token must be non-empty printable ASCII without spaces");
        }
        return token;
    }

    /** A buffered event takes about this much heap (its JSON line, ~600-900 bytes, kept as text). */
    static final long HEAP_PER_BUFFERED_EVENT = 1024;

    /** The outbox holds --buffer-events records while the server is away: say so if the heap cannot. */
    private void warnIfTheHeapIsSmall(long bufferEvents) {
        long heap = Runtime.getRuntime().maxMemory();
        long needed = bufferEvents * HEAP_PER_BUFFERED_EVENT;
        if (heap != Long.MAX_VALUE && needed > heap * 6 / 10) {
            err.printf("skbtrail-agent: --buffer-events %d needs about %d MiB of heap while the server is away,"
                    + " and this JVM may use %d MiB: lower --buffer-events, or raise the heap"
                    + " (SKBTRAIL_JAVA_OPTS=-Xmx%dm)%n", bufferEvents, needed >> 20, heap >> 20,
                    (needed * 10 / 6 >> 20) + 256);
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                throw new UsageException("cannot read this host's name; give --name");
            }
        }
    }

    private static String agentVersion() {
        String version = ConnectCommand.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
