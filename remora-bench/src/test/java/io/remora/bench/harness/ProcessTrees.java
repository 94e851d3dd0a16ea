package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the no-orphan tests need to look at: processes' whole command lines and a run's directory. */
public final class ProcessTrees {
    private ProcessTrees() {
    }

    /**
     * The arguments of {@code h} from its whole {@code /proc/<pid>/cmdline} (empty once it is gone):
     * the JDK's {@code ProcessHandle.Info.arguments()} reads one page of it only and is empty when
     * the command line is longer, as it is with the test class path in {@code -cp}.
     */
    public static List<String> arguments(ProcessHandle h) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline"));
            return List.of(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }

    /** The one directory {@code base/prefix*} (asserted). */
    public static Path onlyDirectory(Path base, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(base)) {
            List<Path> dirs = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertEquals(1, dirs.size(), prefix + "* directories: " + dirs);
            return dirs.get(0);
        }
    }
}
