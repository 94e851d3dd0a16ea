/**
 * The built-in execution engine: deterministic Java programs (coin, counter, compute, amm, registry,
 * kv, hash) and pure precompiles (SHA-256, Ed25519), enough to drive real workloads.
 * {@link io.remora.core.engine.BuiltinEngine#executor(String)} is the entry point; each program
 * class documents its object layout, its functions' argument layout and its abort codes, and offers
 * static helpers that encode arguments and build genesis objects.
 *
 * <p>Everything here is stateless and thread-safe: many threads may execute concurrently, each with
 * its own {@link io.remora.core.exec.ExecutionContext}.
 */
package io.remora.core.engine;
