package io.skbtrail.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** JNA stays inside io.skbtrail.agent.libbpf: everything else is plain Java, testable without libbpf. */
@Tag("unit")
class NativeIsolationTest {
    @Test
    void onlyTheLibbpfPackageUsesJna() throws IOException {
        Path main = Path.of("src/main/java/io/skbtrail/agent");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(main.resolve("libbpf")))
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains("com.sun.jna");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(Path::toString).toList();
            assertEquals(List.of(), offenders);
        }
    }
}
