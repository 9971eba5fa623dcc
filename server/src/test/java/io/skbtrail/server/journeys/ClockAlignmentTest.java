package io.skbtrail.server.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Causality narrows clock offsets: a packet cannot arrive before it left. */
@Tag("unit")
class ClockAlignmentTest {
    private static final List<String> NAMES = List.of("a", "b");

    @Test
    void aHopNarrowsTheReceiversOffsetToWhatCausalityAllows() {
        // a: offset 0 ± 1 ms; b: offset +5 ms ± 4 ms. The packet left a at 1000 (a's clock) and reached b at 1000 + 3 ms
        // (b's clock): offsetB - offsetA <= 3 ms, so b's upper bound 9 ms falls to 1 ms + 3 ms = 4 ms.
        List<HostClock> hosts = List.of(new HostClock(1, "a", 0, 1_000_000L, "tracepoint"),
                new HostClock(2, "b", 5_000_000, 4_000_000L, "tracepoint"));
        ClockAlignment c = new ClockAlignment(hosts, new int[] {0, 1},
                List.of(new ClockAlignment.Hop(0, 1, 0, 1, 3_000_000)), NAMES);
        assertThat(c.hi[1]).isEqualTo(4_000_000);
        assertThat(c.lo[1]).isEqualTo(1_000_000);
        assertThat(c.offset(1)).isEqualTo(2_500_000);
        assertThat(c.uncertainty(1)).isEqualTo(1_500_000);
        assertThat(c.offset(1) - c.offset(0)).as("the middles keep the packet's order").isLessThanOrEqualTo(3_000_000);
        long[] wire = c.wire(0, 1, 3_000_000, true);
        assertThat(wire[1]).isGreaterThanOrEqualTo(0);
        assertThat(wire[0]).isBetween(wire[1], wire[2]);
        assertThat(c.contradiction).isNull();
    }

    @Test
    void estimatesThatContradictCausalityAreKeptAsMeasuredAndSaidSo() {
        // b is measured 10 ms ahead ± 1 ms, but the packet reached b 2 ms (b's clock) after it left a: impossible.
        List<HostClock> hosts = List.of(new HostClock(1, "a", 0, 1_000_000L, null),
                new HostClock(2, "b", 10_000_000, 1_000_000L, null));
        ClockAlignment c = new ClockAlignment(hosts, new int[] {0, 1},
                List.of(new ClockAlignment.Hop(0, 1, 0, 1, 2_000_000)), NAMES);
        assertThat(c.offset(1)).isEqualTo(10_000_000);
        assertThat(c.uncertainty(1)).isEqualTo(1_000_000);
        assertThat(c.contradiction).contains("contradict causality by 6000000 ns");
    }

    @Test
    void aHostWithoutAnEstimateIsBoundedByItsNeighbours() {
        List<HostClock> hosts = List.of(new HostClock(1, "a", 0, 500_000L, null), new HostClock(2, "b", 0, null, null));
        // Left a at 0, reached b at 100 µs; b's reply left b at 200 µs, reached a at 300 µs.
        ClockAlignment c = new ClockAlignment(hosts, new int[] {0, 1}, List.of(
                new ClockAlignment.Hop(0, 1, 0, 1, 100_000), new ClockAlignment.Hop(1, 2, 1, 0, 100_000)), NAMES);
        assertThat(c.hi[1]).isEqualTo(600_000);
        assertThat(c.lo[1]).isEqualTo(-600_000);
        assertThat(c.uncertainty(1)).isLessThan(HostClock.UNKNOWN_UNCERTAINTY_NS);
    }
}
