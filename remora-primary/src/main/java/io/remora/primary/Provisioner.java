package io.remora.primary;

import java.time.Duration;

/**
 * Starts and stops pre-executors for an {@link Autoscaler}: the host implements it against its
 * platform (VM scale sets, spot fleets, Kubernetes), or uses a local one (the harness's
 * {@code LocalProcessProvisioner}). Pre-executors it starts must connect to the cluster by
 * themselves; nothing they hold is needed by the primary, so a stop may kill them after the deadline.
 *
 * <p>Thread-safety: called from the autoscaler's thread only.
 */
public interface Provisioner {
    /** Pre-executors started by this provisioner and not stopped yet. */
    int running();

    /** Starts {@code count} more (asynchronously: they join the cluster when they are ready). */
    void start(int count);

    /**
     * Stops {@code count} of them: each is told to drain (stop taking work, answer what it holds)
     * and is killed if still running after {@code drainDeadline} (an eviction notice: Azure gives
     * spot VMs 30 s, AWS 2 min).
     */
    void stop(int count, Duration drainDeadline);
}
