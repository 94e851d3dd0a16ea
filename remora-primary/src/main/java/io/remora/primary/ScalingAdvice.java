package io.remora.primary;

/**
 * How many pre-executors a {@link ScalingPolicy} wants, and why.
 *
 * @param current     pre-executors running when it was computed
 * @param desired     pre-executors to run (after the stabilisation windows)
 * @param recommended the raw recommendation of this evaluation alone
 * @param reason      the signal behind the recommendation, in words
 * @param signals     what the evaluation saw
 */
public record ScalingAdvice(int current, int desired, int recommended, String reason, ScalingSignals signals) {
    /** Whether it asks for a change. */
    public boolean changes() {
        return desired != current;
    }
}
