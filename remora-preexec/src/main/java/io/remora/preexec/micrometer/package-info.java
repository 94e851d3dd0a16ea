/**
 * The pre-executor's Micrometer binder ({@link io.remora.preexec.micrometer.PreExecutorMeterBinder}: read
 * at scrape time, nothing on the execution threads) and
 * {@link io.remora.preexec.micrometer.PreExecutorPrometheus}, what {@code PreExecutorMain --metrics-port}
 * serves. Micrometer is an optional dependency of {@code remora-preexec}: only this package refers to
 * it, and {@code PreExecutorMain} loads it only for {@code --metrics-port}.
 */
package io.remora.preexec.micrometer;
