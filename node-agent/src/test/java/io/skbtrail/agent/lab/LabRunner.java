package io.skbtrail.agent.lab;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the lab's tests inside a kernel-lab guest, in one JVM (a JVM start costs seconds under
 * emulation): for each backend given, the kernel scenarios with that backend, then the lab-only tests
 * (tagged {@code lab}). Agents run inside this JVM. Exit status 0 only if everything passed.
 * Usage: {@code LabRunner kprobe[,kprobe-multi]}.
 */
public final class LabRunner {
    private static final List<String> SCENARIOS = List.of("io.skbtrail.agent.cli.TraceFilterKernelTest",
            "io.skbtrail.agent.cli.TraceTrackingKernelTest");

    private LabRunner() {}

    public static void main(String[] args) {
        System.setProperty("skbtrail.test.inprocess", "true");
        Launcher launcher = LauncherFactory.create();
        long passed = 0;
        long failed = 0;
        for (String backend : args[0].split(",")) {
            System.setProperty("skbtrail.test.backend", backend);
            System.out.println("lab: backend " + backend + " on " + System.getProperty("os.version"));
            LauncherDiscoveryRequestBuilder scenarios = LauncherDiscoveryRequestBuilder.request();
            SCENARIOS.forEach(c -> scenarios.selectors(selectClass(c)));
            TestExecutionSummary s1 = run(launcher, scenarios.build());
            TestExecutionSummary s2 = run(launcher, LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectPackage("io.skbtrail.agent")).filters(TagFilter.includeTags("lab")).build());
            passed += s1.getTestsSucceededCount() + s2.getTestsSucceededCount();
            failed += s1.getTotalFailureCount() + s2.getTotalFailureCount();
        }
        // The closing line CI reads.
        System.out.println("lab: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 && passed > 0 ? 0 : 1);
    }

    private static TestExecutionSummary run(Launcher launcher, LauncherDiscoveryRequest request) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener, new ProgressListener());
        TestExecutionSummary summary = listener.getSummary();
        summary.printFailuresTo(new PrintWriter(System.out), 15);
        return summary;
    }
}
