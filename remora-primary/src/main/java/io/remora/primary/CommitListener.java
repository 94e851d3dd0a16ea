package io.remora.primary;

/**
 * Receives each commit's effects once it is durable, strictly in commit order.
 *
 * <p>Called on the primary's publication thread ({@code remora-publish}); an implementation should
 * hand work off rather than block, since a slow listener delays the publication (not the execution
 * or persistence) of later commits. An exception thrown by the listener is counted
 * ({@link PrimaryMetrics#listenerErrors()}) and otherwise ignored.
 */
@FunctionalInterface
public interface CommitListener {
    void onCommit(CommitEffects effects);
}
