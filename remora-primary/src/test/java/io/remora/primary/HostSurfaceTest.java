package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The host-facing surface stays small: the Remora types that README's embedding example (compiled in
 * {@link ReadmeExampleTest}) touches, read off its class file's constant pool, which names every type
 * the example calls, constructs, passes through or implements with a lambda, not only those it spells
 * out. A builder counts with the type it builds. A change that makes a host touch one more type fails
 * here and must update the list on purpose (issue 14 asks for at most 10; see docs/architecture.md).
 */
class HostSurfaceTest {

    private static final Set<String> HOST_TYPES = Set.of(
            // what the host spells out
            "io.remora.primary.RemoraPrimary", "io.remora.primary.RemoraCluster", "io.remora.primary.TrustMode",
            "io.remora.primary.CommitEffects", "io.remora.core.Transaction", "io.remora.core.StoredObject",
            // what it touches without naming: lambda targets, a value passed through, a result dropped
            "io.remora.primary.CommitListener", "io.remora.primary.ConsensusSubmitter",
            "io.remora.primary.SubmitOutcome");

    @Test
    void shouldKeepTheTypesAHostTouchesToTheListedOnes() throws Exception {
        String self = ReadmeExampleTest.class.getName().replace('.', '/');
        Set<String> touched = new TreeSet<>();
        try (InputStream in = ReadmeExampleTest.class.getResourceAsStream("ReadmeExampleTest.class")) {
            assertNotNull(in);
            // The class file's UTF-8 constants hold every class name and descriptor in internal form.
            String constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            Matcher m = Pattern.compile("io/remora/[A-Za-z0-9_/$]+").matcher(constants);
            while (m.find()) {
                String name = m.group();
                if (name.startsWith(self)) {
                    continue; // the example's own stand-ins for the host's parts
                }
                int nested = name.indexOf('$');
                touched.add((nested < 0 ? name : name.substring(0, nested)).replace('/', '.'));
            }
        }
        assertEquals(new TreeSet<>(HOST_TYPES), touched, "the Remora types README's embedding example touches");
    }
}
