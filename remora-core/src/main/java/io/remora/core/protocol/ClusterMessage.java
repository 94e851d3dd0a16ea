package io.remora.core.protocol;

/**
 * One cluster protocol message: the payload of a transport frame of type {@link #type()}. See
 * {@link ClusterMessages} for the types, limits and framing.
 */
public sealed interface ClusterMessage
        permits Execute, Results, StateUpdate, SnapshotRequest, SnapshotChunk, HotSet, ObjectRequest, ObjectResponse,
        Committed, LeaseGrant, LeaseExecute, LeaseEnd, LeaseResults {
    /** The transport message type this payload travels under. */
    default int type() {
        return switch (this) {
            case Execute x -> ClusterMessages.EXECUTE;
            case Results x -> ClusterMessages.RESULT;
            case StateUpdate x -> ClusterMessages.STATE_UPDATE;
            case SnapshotRequest x -> ClusterMessages.SNAPSHOT_REQUEST;
            case SnapshotChunk x -> ClusterMessages.SNAPSHOT_CHUNK;
            case HotSet x -> ClusterMessages.HOT_SET;
            case ObjectRequest x -> ClusterMessages.OBJECT_REQUEST;
            case ObjectResponse x -> ClusterMessages.OBJECT_RESPONSE;
            case Committed x -> ClusterMessages.COMMITTED;
            case LeaseGrant x -> ClusterMessages.LEASE_GRANT;
            case LeaseExecute x -> ClusterMessages.LEASE_EXECUTE;
            case LeaseEnd x -> ClusterMessages.LEASE_END;
            case LeaseResults x -> ClusterMessages.LEASE_RESULT;
        };
    }
}
