package io.remora.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.remora.core.codec.CodecException;

/**
 * Jazzer fuzz targets, one per cluster message decoder (and the LOAD heartbeat payload). Each
 * asserts the decoder contract: any input either decodes or throws {@link CodecException}; a
 * successful decode re-encodes to exactly the input (encodings are canonical).
 *
 * <p>Under plain {@code mvn verify} (no {@code JAZZER_FUZZ}) each target runs in regression mode
 * over its committed corpus in
 * {@code src/test/resources/io/remora/core/protocol/ClusterMessagesFuzzTestInputs/<method>/}
 * (valid and malformed encodings). To fuzz one target (60 s each, see {@code maxDuration}):
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl remora-core test -Dtest='ClusterMessagesFuzzTest#fuzzStateUpdate' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class ClusterMessagesFuzzTest {
    private static final String SESSION = "60s";

    @FuzzTest(maxDuration = SESSION)
    void fuzzExecute(byte[] input) {
        decodeOrReject(ClusterMessages.EXECUTE, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzResult(byte[] input) {
        decodeOrReject(ClusterMessages.RESULT, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzStateUpdate(byte[] input) {
        decodeOrReject(ClusterMessages.STATE_UPDATE, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzSnapshotRequest(byte[] input) {
        decodeOrReject(ClusterMessages.SNAPSHOT_REQUEST, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzSnapshotChunk(byte[] input) {
        decodeOrReject(ClusterMessages.SNAPSHOT_CHUNK, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzCommitted(byte[] input) {
        decodeOrReject(ClusterMessages.COMMITTED, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzLeaseGrant(byte[] input) {
        decodeOrReject(ClusterMessages.LEASE_GRANT, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzLeaseExecute(byte[] input) {
        decodeOrReject(ClusterMessages.LEASE_EXECUTE, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzLeaseResult(byte[] input) {
        decodeOrReject(ClusterMessages.LEASE_RESULT, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzLeaseEnd(byte[] input) {
        decodeOrReject(ClusterMessages.LEASE_END, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzHotSet(byte[] input) {
        decodeOrReject(ClusterMessages.HOT_SET, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzObjectRequest(byte[] input) {
        decodeOrReject(ClusterMessages.OBJECT_REQUEST, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzObjectResponse(byte[] input) {
        decodeOrReject(ClusterMessages.OBJECT_RESPONSE, input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzLoad(byte[] input) {
        LoadReport r;
        try {
            r = ClusterMessages.decodeLoad(input);
        } catch (CodecException expected) {
            return;
        }
        assertArrayEquals(input, ClusterMessages.encode(r));
    }

    static void decodeOrReject(int type, byte[] input) {
        ClusterMessage m;
        try {
            m = ClusterMessages.decode(type, input);
        } catch (CodecException expected) {
            return;
        }
        assertEquals(type, m.type());
        byte[] again = ClusterMessages.encode(m);
        assertArrayEquals(input, again);
        assertEquals(m, ClusterMessages.decode(type, again));
    }
}
