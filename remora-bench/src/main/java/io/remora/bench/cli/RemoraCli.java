package io.remora.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code remora} command line: {@code remora demo} (the README's first command) and
 * {@code remora bench} (latency–throughput sweeps against the baselines), {@code remora chaos} (real
 * processes killed, stopped and restarted, every effect checked), {@code remora model} (the scale-out
 * model calibrated from a bench sweep). Run it with {@code ./remora}.
 */
@Command(name = "remora", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Remora: speculative pre-execution on elastic helper machines.",
        subcommands = {DemoCommand.class, BenchCommand.class, ChaosCommand.class, DashboardCommand.class, ModelCommand.class,
                CommandLine.HelpCommand.class})
public final class RemoraCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        return new CommandLine(new RemoraCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    if (ex instanceof IllegalArgumentException) { // a bad option value found while running
                        cmd.getErr().println("error: " + ex.getMessage());
                        return 2;
                    }
                    throw ex;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
