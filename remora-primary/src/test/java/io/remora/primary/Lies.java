package io.remora.primary;

import io.remora.core.Address;
import io.remora.core.Authenticator;
import io.remora.core.Effects;
import io.remora.core.LookupTable;
import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.PrecompileResult;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.CoinProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What a compromised pre-executor sends to steal or corrupt: every lie keeps the lookup table's
 * reads as an honest result would have them (so version checks pass), and changes what those
 * checks do not cover.
 */
final class Lies {
    static final Address THIEF = Address.of(0x7417L, 0x7417L, 0x7417L, 0x7417L);

    enum Kind {
        /** Reads match; a written object gets other contents (a coin balance raised by 10^12), another owner, or a coin is created. */
        FALSIFIED_WRITES,
        /** A transaction with a garbage signature, claimed VERIFIED, with the effects of the genuine one: a full result. */
        FORGED_VERIFIED_FULL,
        /** The same, verify-only: the primary would skip the check and execute it as valid. */
        FORGED_VERIFIED_VERIFY_ONLY,
        /** Verify-only hints whose precompile outputs are wrong (reused when the primary re-executes). */
        WRONG_PRECOMPILE
    }

    private Lies() {
    }

    /**
     * The lie of {@code kind} about {@code tx} (as committed), given an honest result made at the
     * right state ({@code honest}, for the genuine transaction when {@code tx} carries a garbage
     * signature); null when this kind of lie does not apply to the transaction.
     */
    static PreExecResult lie(Kind kind, Transaction tx, PreExecResult honest, Random rnd) {
        if (honest == null) {
            return null;
        }
        return switch (kind) {
            case FALSIFIED_WRITES -> honest.isFull() && honest.lookupTable().authenticator().verifiedFor(tx)
                    ? PreExecResult.full(falsify(honest.effects(), rnd), honest.lookupTable(), honest.watermark()) : null;
            case FORGED_VERIFIED_FULL -> tx.verifySignature() || !honest.isFull() ? null
                    : PreExecResult.full(honest.effects(), withAuth(honest.lookupTable(), Authenticator.verified(tx, "liar")),
                    honest.watermark());
            case FORGED_VERIFIED_VERIFY_ONLY -> tx.verifySignature() ? null
                    : PreExecResult.verifyOnly(tx.digest(), new LookupTable(List.of(), honest.lookupTable().precompiles(),
                    Authenticator.verified(tx, "liar")), honest.watermark());
            case WRONG_PRECOMPILE -> honest.lookupTable().precompiles().isEmpty() ? null
                    : PreExecResult.verifyOnly(tx.digest(), new LookupTable(List.of(),
                    wrong(honest.lookupTable().precompiles()), honest.lookupTable().authenticator()), honest.watermark());
        };
    }

    private static LookupTable withAuth(LookupTable t, Authenticator a) {
        return new LookupTable(t.reads(), t.precompiles(), a);
    }

    private static List<PrecompileResult> wrong(List<PrecompileResult> ps) {
        List<PrecompileResult> out = new ArrayList<>(ps);
        PrecompileResult p = out.get(0);
        byte[] bad = p.output().length == 0 ? new byte[] {1} : p.output().clone();
        bad[0] ^= 0x5A;
        out.set(0, new PrecompileResult(p.functionId(), p.inputDigest(), bad));
        return out;
    }

    private static Effects falsify(Effects e, Random rnd) {
        List<Effects.Written> written = new ArrayList<>(e.written());
        int how = written.isEmpty() || !e.status().isSuccess() ? 2 : rnd.nextInt(3);
        if (how == 2) {
            // An extra coin for the thief, out of nothing.
            StoredObject coin = new StoredObject(ObjectId.created(e.transaction(), 9_999), e.lamportVersion(),
                    Owner.address(THIEF), CoinProgram.TYPE, u64(1_000_000_000_000L));
            written.add(new Effects.Written(coin, true));
            return new Effects(e.transaction(), io.remora.core.ExecutionStatus.SUCCESS, e.gasUsed(), e.lamportVersion(),
                    e.modifiedAt(), written, e.deleted(), e.events());
        }
        int i = rnd.nextInt(written.size());
        StoredObject o = written.get(i).object();
        StoredObject forged = how == 0
                ? new StoredObject(o.id(), o.version(), o.owner(), o.typeTag(), raised(o))
                : new StoredObject(o.id(), o.version(), Owner.address(THIEF), o.typeTag(), o.contents());
        written.set(i, new Effects.Written(forged, written.get(i).created()));
        return new Effects(e.transaction(), e.status(), e.gasUsed(), e.lamportVersion(), e.modifiedAt(), written,
                e.deleted(), e.events());
    }

    /** A coin's balance raised by 10^12, or any other object's contents with one byte changed. */
    private static byte[] raised(StoredObject o) {
        if (o.typeTag().equals(CoinProgram.TYPE)) {
            return u64(CoinProgram.balance(o) + 1_000_000_000_000L);
        }
        byte[] c = o.contents().length == 0 ? new byte[] {7} : o.contents().clone();
        c[c.length - 1] ^= 1;
        return c;
    }

    private static byte[] u64(long v) {
        return java.nio.ByteBuffer.allocate(8).putLong(v).array();
    }
}
