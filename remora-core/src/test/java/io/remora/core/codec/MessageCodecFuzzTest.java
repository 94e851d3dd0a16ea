package io.remora.core.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz targets, one per message decoder. Each asserts the decoder contract: any input
 * either decodes or throws {@link CodecException}; a successful decode re-encodes to exactly the
 * input (encodings are canonical) and decodes again to an equal value (see
 * {@link WireTypes#decodeOrReject}).
 *
 * <p>Under plain {@code mvn verify} (no {@code JAZZER_FUZZ}) each target runs in regression mode
 * over its committed corpus in {@code src/test/resources/io/remora/core/codec/MessageCodecFuzzTestInputs/<method>/}
 * (valid and malformed encodings) as ordinary JUnit tests. To fuzz one target (60 s each, see
 * {@code maxDuration}):
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl remora-core test -Dtest='MessageCodecFuzzTest#fuzzCommit' -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * New interesting inputs go to {@code .cifuzz-corpus/}; a crashing input is written to the
 * inputs directory above and from then on replayed by every build.
 */
class MessageCodecFuzzTest {
    private static final String SESSION = "60s";

    @FuzzTest(maxDuration = SESSION)
    void fuzzTransaction(byte[] input) {
        WireTypes.decodeOrReject(WireTypes.MESSAGES.get(0), input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzObject(byte[] input) {
        WireTypes.decodeOrReject(WireTypes.MESSAGES.get(1), input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzEffects(byte[] input) {
        WireTypes.decodeOrReject(WireTypes.MESSAGES.get(2), input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzPreExecResult(byte[] input) {
        WireTypes.decodeOrReject(WireTypes.MESSAGES.get(3), input);
    }

    @FuzzTest(maxDuration = SESSION)
    void fuzzCommit(byte[] input) {
        WireTypes.decodeOrReject(WireTypes.MESSAGES.get(4), input);
    }
}
