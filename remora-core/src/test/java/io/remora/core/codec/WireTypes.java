package io.remora.core.codec;

import io.remora.core.Authenticator;
import io.remora.core.Event;
import io.remora.core.ExecutionStatus;
import io.remora.core.InputObject;
import io.remora.core.LookupTable;
import io.remora.core.ObjectRef;
import io.remora.core.Owner;
import io.remora.core.PrecompileResult;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Every wire type as (name, generator, encoder, decoder), for table-driven codec tests. */
final class WireTypes {
    /** One wire type: a complete encoding to bytes and a strict decoding from bytes. */
    record WireType<T>(String name, Function<RandomValues, T> generator, Function<T, byte[]> encoder,
                       Function<byte[], T> decoder) {
        @SuppressWarnings("unchecked")
        byte[] encodeAny(Object value) {
            return encoder.apply((T) value);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The five top-level messages, framed by {@link MessageCodec}. */
    static final List<WireType<?>> MESSAGES = List.of(
            new WireType<>("Transaction", RandomValues::transaction, MessageCodec::encode, MessageCodec::decodeTransaction),
            new WireType<>("StoredObject", RandomValues::storedObject, MessageCodec::encode, MessageCodec::decodeObject),
            new WireType<>("Effects", RandomValues::effects, MessageCodec::encode, MessageCodec::decodeEffects),
            new WireType<>("PreExecResult", RandomValues::preExecResult, MessageCodec::encode, MessageCodec::decodePreExecResult),
            new WireType<>("Commit", RandomValues::commit, MessageCodec::encode, MessageCodec::decodeCommit));

    /** The nested value types, encoded bare (no header) and decoded with expectEnd. The message bodies are covered by {@link #MESSAGES}. */
    static final List<WireType<?>> VALUES = List.of(
            bare("Owner", RandomValues::owner, (v, w) -> v.encode(w), Owner::decode),
            bare("ObjectRef", RandomValues::objectRef, ObjectRef::encode, ObjectRef::decode),
            bare("InputObject", RandomValues::inputObject, (v, w) -> v.encode(w), InputObject::decode),
            bare("ExecutionStatus", RandomValues::status, (v, w) -> v.encode(w), ExecutionStatus::decode),
            bare("Event", RandomValues::event, Event::encode, Event::decode),
            bare("PrecompileResult", RandomValues::precompileResult, PrecompileResult::encode, PrecompileResult::decode),
            bare("Authenticator", RandomValues::authenticator, Authenticator::encode, Authenticator::decode),
            bare("LookupTable", RandomValues::lookupTable, LookupTable::encode, LookupTable::decode));

    private WireTypes() {
    }

    /**
     * The property every decoder must have on any input: it either decodes or throws
     * {@link CodecException}, nothing else; and because every encoding is canonical, a successful
     * decode re-encodes to exactly the input (and that re-encoding decodes to an equal value).
     *
     * @return the decoded value, or null if the input was rejected with a CodecException
     */
    static <T> T decodeOrReject(WireType<T> type, byte[] input) {
        T value;
        try {
            value = type.decoder().apply(input);
        } catch (CodecException e) {
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(type.name() + " decoder threw " + e + " on " + hex(input), e);
        }
        byte[] again = type.encoder().apply(value);
        if (!java.util.Arrays.equals(input, again)) {
            throw new AssertionError(type.name() + " accepted a non-canonical encoding " + hex(input)
                    + ", re-encoded as " + hex(again));
        }
        T back = type.decoder().apply(again);
        if (!value.equals(back)) {
            throw new AssertionError(type.name() + " round trip changed " + value + " into " + back);
        }
        return value;
    }

    static String hex(byte[] b) {
        String h = java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 256));
        return b.length > 256 ? h + "...(" + b.length + " bytes)" : h;
    }

    static <T> WireType<T> bare(String name, Function<RandomValues, T> generator, BiConsumer<T, WireWriter> encode,
                                Function<WireReader, T> decode) {
        return new WireType<>(name, generator, v -> {
            WireWriter w = new WireWriter();
            encode.accept(v, w);
            return w.toByteArray();
        }, bytes -> {
            WireReader r = new WireReader(bytes);
            T v = decode.apply(r);
            r.expectEnd(name);
            return v;
        });
    }
}
