package io.remora.core.engine;

import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoinProgramTest {
    private final EngineFixture f = new EngineFixture();

    private ObjectId coin(long balance) {
        return f.put(CoinProgram.genesisCoin(f.newId(), f.alice.address(), balance)).id();
    }

    @Test
    void shouldMintCoinOwnedBySender() {
        Effects e = f.ok(f.tx(f.alice, List.of(), "coin", "mint", CoinProgram.mintArgs(500)));
        assertEquals(1, e.written().size());
        StoredObject c = e.written().get(0).object();
        assertTrue(e.written().get(0).created());
        assertEquals(Owner.address(f.alice.address()), c.owner());
        assertEquals(500, CoinProgram.balance(c));
        assertEquals(c, f.read(c.id()));
    }

    @Test
    void shouldTransferWholeCoin() {
        ObjectId c = coin(70);
        Effects e = f.ok(f.tx(f.alice, List.of(f.owned(c)), "coin", "transfer", CoinProgram.transferArgs(f.bob.address())));
        assertEquals(List.of(new Effects.ModifiedAt(c, 1)), e.modifiedAt());
        assertEquals(Owner.address(f.bob.address()), f.read(c).owner());
        assertEquals(2, f.read(c).version());
        assertEquals(70, CoinProgram.balance(f.read(c)));
    }

    @Test
    void shouldSplitAmountToRecipient() {
        ObjectId c = coin(100);
        Effects e = f.ok(f.tx(f.alice, List.of(f.owned(c)), "coin", "split", CoinProgram.splitArgs(30, f.bob.address())));
        assertEquals(70, CoinProgram.balance(f.read(c)));
        StoredObject created = e.written().stream().filter(Effects.Written::created).findFirst().orElseThrow().object();
        assertEquals(30, CoinProgram.balance(created));
        assertEquals(Owner.address(f.bob.address()), created.owner());
    }

    @Test
    void shouldAbortSplitOnInsufficientBalance() {
        ObjectId c = coin(10);
        f.fails(f.tx(f.alice, List.of(f.owned(c)), "coin", "split", CoinProgram.splitArgs(11, f.bob.address())),
                CoinProgram.INSUFFICIENT_BALANCE);
    }

    @Test
    void shouldMergeAndDeleteSources() {
        ObjectId a = coin(1);
        ObjectId b = coin(2);
        ObjectId c = coin(3);
        Effects e = f.ok(f.tx(f.alice, List.of(f.owned(a), f.owned(b), f.owned(c)), "coin", "merge", CoinProgram.mergeArgs()));
        assertEquals(6, CoinProgram.balance(f.read(a)));
        assertNull(f.read(b));
        assertNull(f.read(c));
        assertEquals(List.of(b, c), e.deleted());
    }

    @Test
    void shouldAbortMergeOnOverflow() {
        ObjectId a = coin(Long.MAX_VALUE);
        ObjectId b = coin(1);
        f.fails(f.tx(f.alice, List.of(f.owned(a), f.owned(b)), "coin", "merge", CoinProgram.mergeArgs()), CoinProgram.OVERFLOW);
    }

    @Test
    void shouldRejectCoinOwnedBySomeoneElse() {
        ObjectId c = coin(5);
        f.fails(f.tx(f.bob, List.of(f.owned(c)), "coin", "transfer", CoinProgram.transferArgs(f.bob.address())),
                ExecutionStatus.WRONG_OWNER);
    }

    @Test
    void shouldRefuseToWriteImmutableCoin() {
        StoredObject frozen = f.put(new StoredObject(f.newId(), 1, Owner.IMMUTABLE, CoinProgram.TYPE, new byte[8]));
        f.fails(f.tx(f.alice, List.of(f.owned(frozen.id())), "coin", "transfer", CoinProgram.transferArgs(f.bob.address())),
                ExecutionStatus.IMMUTABLE_WRITE);
    }

    @Test
    void shouldFailUnknownFunctionAndProgram() {
        f.fails(f.tx(f.alice, List.of(), "coin", "steal", new byte[0]), ExecutionStatus.UNKNOWN_FUNCTION);
        f.fails(f.tx(f.alice, List.of(), "nope", "mint", CoinProgram.mintArgs(1)), ExecutionStatus.UNKNOWN_FUNCTION);
    }

    @Test
    void shouldFailMalformedArguments() {
        f.fails(f.tx(f.alice, List.of(), "coin", "mint", new byte[3]), ExecutionStatus.BAD_ARGUMENTS);
        byte[] trailing = new byte[9];
        f.fails(f.tx(f.alice, List.of(), "coin", "mint", trailing), ExecutionStatus.BAD_ARGUMENTS);
        f.fails(f.tx(f.alice, List.of(), "coin", "mint", CoinProgram.mintArgs(-1)), ExecutionStatus.BAD_ARGUMENTS);
        f.fails(f.tx(f.alice, List.of(), "coin", "transfer", CoinProgram.transferArgs(f.bob.address())),
                ExecutionStatus.BAD_ARGUMENTS);
    }

    @Test
    void shouldFailWrongObjectType() {
        StoredObject counter = f.put(new StoredObject(f.newId(), 1, Owner.address(f.alice.address()), CounterProgram.TYPE, new byte[8]));
        f.fails(f.tx(f.alice, List.of(InputObject.owned(counter.ref())), "coin", "transfer",
                CoinProgram.transferArgs(f.bob.address())), ExecutionStatus.BAD_ARGUMENTS);
    }

    @Test
    void shouldRunOutOfGasDeterministically() {
        ObjectId c = coin(100);
        var tx = f.tx(f.alice, 1_150, List.of(f.owned(c)), "coin", "split", CoinProgram.splitArgs(1, f.bob.address()));
        Effects e1 = f.fails(tx, ExecutionStatus.OUT_OF_GAS);
        Effects e2 = f.fails(tx, ExecutionStatus.OUT_OF_GAS);
        assertEquals(e1, e2);
        assertEquals(1_150, e1.gasUsed());
    }
}
