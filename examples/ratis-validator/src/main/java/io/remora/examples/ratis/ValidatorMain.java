package io.remora.examples.ratis;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * A validator process: {@link Validator} from the command line ({@link ValidatorConfig}), closed on
 * SIGTERM (shutdown hook) or, with {@code --exit-on-stdin-eof}, when standard input reaches its end:
 * a launcher that keeps the pipe open ties the validator to its own life, SIGKILL of the launcher
 * included (the kernel closes a dead process's pipes), as {@code PreExecutorMain} does. The
 * validator's own pre-executors are tied to it the same way.
 *
 * <p>Prints {@code ready id=... http=... recovered=K} once its HTTP API answers.
 */
public final class ValidatorMain {
    private ValidatorMain() {
    }

    public static void main(String[] args) throws Exception {
        ValidatorConfig cfg;
        try {
            cfg = ValidatorConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("validator: " + e.getMessage());
            System.exit(2);
            return;
        }
        Validator v = new Validator(cfg);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            v.close();
            done.countDown();
        }, "remora-validator-shutdown"));
        if (cfg.exitOnStdinEof()) {
            Thread t = new Thread(() -> {
                awaitEof(System.in);
                System.exit(0); // runs the shutdown hook
            }, "remora-stdin-watch");
            t.setDaemon(true);
            t.start();
        }
        try {
            v.start();
        } catch (Exception | Error e) {
            // Ratis and Netty threads would keep a half-started validator alive: stop and say why.
            System.err.println("validator " + cfg.id() + " failed to start: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("ready id=" + cfg.id() + " http=" + cfg.self().httpPort() + " recovered="
                + v.stateMachine().recoveredCommit());
        System.out.flush();
        done.await();
    }

    private static void awaitEof(InputStream in) {
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // anything written is ignored; only the end matters
            }
        } catch (IOException e) {
            // a broken pipe is an end too
        }
    }
}
