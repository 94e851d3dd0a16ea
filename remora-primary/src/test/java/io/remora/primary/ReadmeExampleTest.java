package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * README's embedding example compiles: it is copied below between the markers, in a method the
 * compiler checks against the real API (the host's own parts are the small interfaces here), and
 * the test fails if README's block and this copy differ, so neither can drift from the other.
 */
class ReadmeExampleTest {
    /** The host's parts the example calls. */
    interface Host {
        void publish(CommitEffects effects);

        Proposer consensus();
    }

    interface Proposer {
        void propose(Transaction tx);
    }

    interface Rpc {
        void onTransaction(Consumer<byte[]> handler);
    }

    interface Consensus {
        void onCommit(BiConsumer<Long, List<Transaction>> handler);
    }

    @SuppressWarnings("unused") // compiled, not run: it would bind port 7700 and write /var/lib/remora
    static void example(Host host, Rpc rpc, Consensus consensus, List<StoredObject> genesisObjects, byte[] secret) {
        // README:BEGIN
        RemoraPrimary primary = RemoraPrimary.builder()
                .dataDirectory(Path.of("/var/lib/remora"))            // RocksDB: objects, effects, commits
                .builtinEngine()                                      // or .executionEngine(yourVm, precompiles)
                .genesis(genesisObjects)                              // loaded once into an empty directory
                .trustMode(TrustMode.CROSS_CHECKED)                   // or TRUSTED (default): see the trust model
                .commitListener(effects -> host.publish(effects))    // strictly in commit order, once durable
                .build();
        primary.start();                                              // recovers the last durable commit

        RemoraCluster cluster = RemoraCluster.builder()              // admission + links to pre-executors
                .primary(primary).port(7700).clusterSecret(secret)
                .consensus(tx -> host.consensus().propose(tx))       // your consensus gets every admitted tx
                .build().start();

        rpc.onTransaction(bytes -> cluster.submit(bytes));           // routed to one pre-executor + consensus
        long next = primary.lastExecutedCommit() + 1;                 // replay the consensus log from here
        consensus.onCommit((index, txs) -> primary.submitCommit(index, txs));  // non-blocking; a future per commit
        // README:END
    }

    @Test
    void shouldMatchTheReadmeBlock() throws Exception {
        Path source = Path.of("src/test/java/io/remora/primary/ReadmeExampleTest.java");
        Path readme = Path.of("../README.md");
        String code = Files.readString(source);
        String copy = code.substring(code.indexOf("// README:BEGIN") + "// README:BEGIN".length(), code.indexOf("        // README:END"));
        String block = Files.readString(readme);
        int start = block.indexOf("```java\n", block.indexOf("## Embedding")) + "```java\n".length();
        String inReadme = block.substring(start, block.indexOf("```", start));
        assertTrue(unindent(copy).equals(inReadme.strip()),
                "README's embedding example and ReadmeExampleTest differ:\n--- README\n" + inReadme + "\n--- test\n" + copy);
    }

    /** Each line without the method body's 8 spaces of indentation (blank lines kept). */
    private static String unindent(String s) {
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            out.append(line.startsWith("        ") ? line.substring(8) : line.strip()).append('\n');
        }
        return out.toString().strip();
    }
}
