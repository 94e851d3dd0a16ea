package io.remora.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Transaction;
import io.remora.preexec.PreExecutor;
import io.remora.primary.RemoraPrimary;
import io.remora.transport.Transport;
import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The library's module boundary, checked on the modules as built (their jars in a full build, their
 * class folders otherwise). The test suites run on the class path (Surefire's useModulePath=false), so
 * this is the test that holds module-info.java to its word:
 * <ul>
 *   <li>each library module exports exactly the packages listed here, every {@code internal} package
 *       (and the primary's {@code cluster} package) is exported to no one, and only core's protocol
 *       and canaries are exported, and then only to the pre-executor and the primary;</li>
 *   <li>the four modules and their dependencies resolve as a module layer, the way a host on the module
 *       path would load them (no missing module, no split package), and the host API can be called in
 *       it with no JVM flag, while a public class of an internal package cannot be reached.</li>
 * </ul>
 * remora-bench itself is a class-path application (JMH, picocli), not a module: it is not a host, and
 * its benchmarks of internal classes see them only because everything is on its class path.
 */
class ModuleBoundaryTest {

    /** module name -> (exported package -> the modules it is exported to; empty: to every module). */
    private static final Map<String, Map<String, Set<String>>> EXPORTS = Map.of(
            "remora.core", exports(
                    "io.remora.core", "io.remora.core.codec", "io.remora.core.engine", "io.remora.core.exec",
                    "io.remora.core.sched", "io.remora.core.store", "io.remora.core.workload",
                    "io.remora.core.protocol -> remora.preexec remora.primary",
                    "io.remora.core.canary -> remora.preexec remora.primary"),
            "remora.transport", exports("io.remora.transport", "io.remora.transport.micrometer"),
            "remora.preexec", exports("io.remora.preexec", "io.remora.preexec.micrometer"),
            "remora.primary", exports("io.remora.primary", "io.remora.primary.micrometer"));

    @Test
    void shouldExportExactlyTheApiPackages() throws Exception {
        for (Map.Entry<String, Path> e : libraryLocations().entrySet()) {
            ModuleDescriptor d = descriptorAt(e.getValue());
            assertEquals(e.getKey(), d.name(), "module at " + e.getValue());
            Map<String, Set<String>> actual = new TreeMap<>();
            for (ModuleDescriptor.Exports x : d.exports()) {
                actual.put(x.source(), new TreeSet<>(x.targets()));
            }
            assertEquals(new TreeMap<>(EXPORTS.get(d.name())), actual, d.name() + " exports");
            assertTrue(d.opens().isEmpty() && !d.isOpen(), d.name() + " opens nothing");
            for (String p : d.packages()) {
                if (p.endsWith(".internal") || p.equals("io.remora.primary.cluster")) {
                    assertFalse(actual.containsKey(p), d.name() + " exports its internal package " + p);
                }
            }
        }
    }

    @Test
    void shouldResolveAsAModuleLayerAndEnforceTheBoundary() throws Exception {
        ModuleLayer layer = libraryLayer();
        Module core = layer.findModule("remora.core").orElseThrow();
        Module primary = layer.findModule("remora.primary").orElseThrow();
        Module preexec = layer.findModule("remora.preexec").orElseThrow();
        assertTrue(primary.isExported("io.remora.primary"));
        assertFalse(primary.isExported("io.remora.primary.internal"));
        assertFalse(primary.isExported("io.remora.primary.cluster"));
        assertFalse(preexec.isExported("io.remora.preexec.internal"));
        assertFalse(layer.findModule("remora.transport").orElseThrow().isExported("io.remora.transport.internal"));
        assertFalse(core.isExported("io.remora.core.protocol"), "protocol is not exported to everyone");
        assertTrue(core.isExported("io.remora.core.protocol", primary), "but it is to the primary");
        assertTrue(primary.canRead(core) && primary.canRead(layer.findModule("remora.transport").orElseThrow()));

        // A host (here: this test's unnamed module) calls the API in the layer with no JVM flag...
        ClassLoader loader = layer.findLoader("remora.primary");
        Class<?> api = Class.forName("io.remora.primary.RemoraPrimary", true, loader);
        assertEquals(primary, api.getModule());
        Object builder = api.getMethod("builder").invoke(null);
        assertEquals("io.remora.primary.RemoraPrimary$Builder", builder.getClass().getName());
        // ...but a public class of an internal package is out of its reach.
        Class<?> internal = Class.forName("io.remora.primary.internal.MetricsCounters", false, loader);
        assertThrows(IllegalAccessException.class, () -> internal.getConstructor().newInstance());
    }

    /** The four library modules and what they require, transitively, resolved in a layer of their own. */
    private static ModuleLayer libraryLayer() {
        Map<String, Path> observable = observableModules();
        Set<String> roots = Set.of("remora.primary", "remora.preexec");
        Set<Path> needed = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        Set<String> seen = new TreeSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name) || ModuleLayer.boot().findModule(name).isPresent()) {
                continue;
            }
            Path p = observable.get(name);
            assertTrue(p != null, "module " + name + " is not on the test class path");
            needed.add(p);
            for (ModuleDescriptor.Requires r : descriptorAt(p).requires()) {
                if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
                    todo.push(r.name());
                }
            }
        }
        ModuleFinder finder = ModuleFinder.of(needed.toArray(Path[]::new));
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), roots);
        return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    /** Every module on this JVM's class path, by name (test folders and test jars left out). */
    private static Map<String, Path> observableModules() {
        Map<String, Path> out = new HashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String f = p.getFileName() == null ? "" : p.getFileName().toString();
            if (!Files.exists(p) || f.equals("test-classes") || f.endsWith("-tests.jar")) {
                continue;
            }
            try {
                for (ModuleReference r : ModuleFinder.of(p).findAll()) {
                    out.putIfAbsent(r.descriptor().name(), p);
                }
            } catch (FindException notAModule) {
                // a jar no module name can be derived for: not one the library requires
            }
        }
        return out;
    }

    /** Where each library module was built (its jar, or its class folder), found from one of its classes. */
    private static Map<String, Path> libraryLocations() throws Exception {
        Map<String, Path> out = new TreeMap<>();
        for (Class<?> c : List.of(Transaction.class, Transport.class, PreExecutor.class, RemoraPrimary.class)) {
            Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            ModuleDescriptor d = descriptorAt(p);
            assertFalse(d.isAutomatic(), p + " has no module-info.class");
            out.put(d.name(), p);
        }
        assertEquals(EXPORTS.keySet(), out.keySet());
        return out;
    }

    private static ModuleDescriptor descriptorAt(Path p) {
        Set<ModuleReference> found = ModuleFinder.of(p).findAll();
        assertEquals(1, found.size(), "one module at " + p);
        return found.iterator().next().descriptor();
    }

    /** {@code "pkg"} (exported to all) or {@code "pkg -> m1 m2"} (qualified). */
    private static Map<String, Set<String>> exports(String... specs) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String s : specs) {
            String[] parts = s.split(" -> ");
            Set<String> targets = new TreeSet<>();
            if (parts.length == 2) {
                targets.addAll(List.of(parts[1].split(" ")));
            }
            out.put(parts[0], targets);
        }
        return out;
    }
}
