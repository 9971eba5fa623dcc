package io.skbtrail.agent.cli;

import io.skbtrail.agent.btf.BtfException;
import io.skbtrail.agent.libbpf.LibBpfException;
import io.skbtrail.agent.probe.FilterRejectedException;
import java.io.IOException;
import java.io.PrintStream;

/** Entry point of {@code skbtrail-agent}. */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /**
     * Runs {@code trace} in this JVM until {@code stop} is requested, as the CLI would: for tests that
     * run many traces where starting a JVM each time costs too much (the kernel lab's emulated guests).
     * Signal handlers are left alone.
     */
    public static int trace(String[] args, PrintStream err, StopSignal stop) {
        String[] all = new String[args.length + 1];
        all[0] = "trace";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(all, err, () -> stop);
    }

    /**
     * Runs {@code connect} in this JVM until {@code stop} is requested (or the server rejects the agent, or
     * refuses its token), as the CLI would: for tests that play the server. Signal handlers are left alone.
     *
     * @param args the flags after {@code connect}, e.g. {@code --server http://127.0.0.1:PORT --token T}
     * @return the exit status the process would have
     */
    public static int connect(String[] args, PrintStream err, StopSignal stop) {
        String[] all = new String[args.length + 1];
        all[0] = "connect";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(all, err, () -> stop);
    }

    static int run(String[] args, PrintStream err) {
        return run(args, err, StopSignal::install);
    }

    private static int run(String[] args, PrintStream err, java.util.function.Supplier<StopSignal> stop) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            System.out.print(Usage.MAIN);
            return args.length == 0 ? EXIT_USAGE : EXIT_OK;
        }
        try {
            return switch (args[0]) {
                case "trace" -> new TraceCommand(err, stop).run(args);
                case "probe" -> new ProbeCommand(System.out).run(args);
                case "connect" -> new ConnectCommand(err, stop, System.getenv()).run(args);
                case "replay" -> new ReplayCommand(err, stop, System.getenv()).run(args);
                default -> throw new UsageException("unknown command \"" + args[0] + "\" (trace, probe, connect, replay; see --help)");
            };
        } catch (UsageException e) {
            err.println("skbtrail-agent: " + e.getMessage());
            return EXIT_USAGE;
        } catch (FilterRejectedException | LibBpfException | BtfException | IllegalStateException
                | UnsatisfiedLinkError e) {
            err.println("skbtrail-agent: " + e.getMessage());
            return EXIT_FAILURE;
        } catch (IOException e) {
            err.println("skbtrail-agent: " + e);
            return EXIT_FAILURE;
        }
    }
}
