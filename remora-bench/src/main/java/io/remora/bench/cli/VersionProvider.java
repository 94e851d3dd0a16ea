package io.remora.bench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code -V} / {@code --version} of every command: the project version from the jar's Maven
 * metadata ({@code META-INF/maven/io.remora/remora-bench/pom.properties}, written by the build),
 * and the JVM that runs it.
 */
final class VersionProvider implements IVersionProvider {
    static final String POM_PROPERTIES = "/META-INF/maven/io.remora/remora-bench/pom.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"remora " + version(),
            "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")};
    }

    /** The project version, or {@code "(development build)"} when not run from a built jar. */
    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "(development build)";
    }
}
