/**
 * Injectable time and threads ({@link io.remora.core.sched.Scheduling}): production components use
 * {@link io.remora.core.sched.Scheduling#system()}; the cluster simulator hands them a virtual clock
 * and executors that run on its own thread, so that one seed replays a whole cluster exactly.
 */
package io.remora.core.sched;
