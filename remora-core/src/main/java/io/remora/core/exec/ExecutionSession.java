package io.remora.core.exec;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.Event;
import io.remora.core.ExecutionStatus;
import io.remora.core.InputObject;
import io.remora.core.LookupTable;
import io.remora.core.ObjectId;
import io.remora.core.ObjectRef;
import io.remora.core.Owner;
import io.remora.core.PrecompileResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.codec.Limits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@link ExecutionContext} of one execution. Not thread-safe. */
final class ExecutionSession implements ExecutionContext {
    private record Pending(Owner owner, String typeTag, byte[] contents) {
    }

    private final Transaction tx;
    private final StateView view;
    private final LookupTable hints;
    private final Precompiles precompiles;
    private final long budget;
    private long gasUsed;

    private final LinkedHashMap<ObjectId, ObjectRef> reads = new LinkedHashMap<>();
    /** The working copy: loaded objects and this transaction's own writes. */
    private final HashMap<ObjectId, StoredObject> current = new HashMap<>();
    private final LinkedHashMap<ObjectId, Pending> writes = new LinkedHashMap<>();
    private final LinkedHashMap<ObjectId, Boolean> deleted = new LinkedHashMap<>();
    private final Set<ObjectId> writable = new HashSet<>();
    private final List<StoredObject> inputs = new ArrayList<>();
    private final List<PrecompileResult> precompileResults = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private int created;
    private int precompilesReused;

    ExecutionSession(Transaction tx, StateView view, LookupTable hints, Precompiles precompiles) {
        this.tx = tx;
        this.view = view;
        this.hints = hints;
        this.precompiles = precompiles;
        this.budget = tx.gasBudget();
    }

    private StoredObject load(ObjectId id) {
        if (current.containsKey(id)) {
            return current.get(id);
        }
        if (deleted.containsKey(id)) {
            return null;
        }
        StoredObject o = view.read(id);
        if (reads.size() >= Limits.MAX_READS) {
            throw new ProgramAbort(ExecutionStatus.LIMIT_EXCEEDED, "more than " + Limits.MAX_READS + " reads");
        }
        reads.put(id, o == null ? ObjectRef.absent(id) : o.ref());
        current.put(id, o);
        chargeGas(Gas.PER_OBJECT_READ + (o == null ? 0 : o.contents().length * Gas.PER_BYTE_READ));
        return o;
    }

    void loadInputs() {
        chargeGas(Gas.BASE);
        Set<ObjectId> seen = new HashSet<>();
        for (InputObject in : tx.inputs()) {
            if (!seen.add(in.id())) {
                throw new ProgramAbort(ExecutionStatus.BAD_ARGUMENTS, "input " + in.id() + " declared twice");
            }
            StoredObject o = load(in.id());
            if (o == null) {
                throw new ProgramAbort(ExecutionStatus.UNKNOWN_OBJECT, "input " + in.id() + " does not exist");
            }
            switch (in) {
                case InputObject.Owned owned -> {
                    ObjectRef ref = owned.ref();
                    if (o.version() != ref.version() || !o.digest().equals(ref.digest())) {
                        throw new ProgramAbort(ExecutionStatus.STALE_OWNED_INPUT,
                                "input " + ref + " but the object is at version " + o.version());
                    }
                    if (o.owner() instanceof Owner.AddressOwner a && a.address().equals(tx.sender())) {
                        writable.add(o.id());
                    } else if (!(o.owner() instanceof Owner.Immutable)) {
                        throw new ProgramAbort(ExecutionStatus.WRONG_OWNER, "input " + ref + " is owned by " + o.owner());
                    }
                }
                case InputObject.Shared shared -> {
                    if (!(o.owner() instanceof Owner.Shared)) {
                        throw new ProgramAbort(ExecutionStatus.NOT_SHARED, "input " + o.id() + " is not shared");
                    }
                    if (shared.mutable()) {
                        writable.add(o.id());
                    }
                }
            }
            inputs.add(o);
        }
    }

    @Override
    public Transaction transaction() {
        return tx;
    }

    @Override
    public StoredObject input(int index) {
        if (index < 0 || index >= inputs.size()) {
            throw new ProgramAbort(ExecutionStatus.BAD_ARGUMENTS, "input index " + index + " of " + inputs.size());
        }
        return current.get(inputs.get(index).id());
    }

    @Override
    public int inputCount() {
        return inputs.size();
    }

    @Override
    public StoredObject readChild(ObjectId parent, byte[] key) {
        if (!current.containsKey(parent) || current.get(parent) == null) {
            throw new ProgramAbort(ExecutionStatus.UNKNOWN_OBJECT, "parent " + parent + " is not loaded");
        }
        ObjectId childId = ObjectId.derive(parent, key);
        StoredObject child = load(childId);
        if (child != null && !(child.owner() instanceof Owner.ObjectOwner oo && oo.parent().equals(parent))) {
            throw new ProgramAbort(ExecutionStatus.WRONG_OWNER, "child " + childId + " is owned by " + child.owner());
        }
        if (writable.contains(parent)) {
            writable.add(childId);
        }
        return child;
    }

    private StoredObject requireWritable(ObjectId id) {
        StoredObject o = current.get(id);
        if (o == null || !writable.contains(id)) {
            throw new ProgramAbort(ExecutionStatus.IMMUTABLE_WRITE, "object " + id + " is not writable");
        }
        return o;
    }

    private void put(StoredObject prior, Owner owner, String type, byte[] contents) {
        if (contents.length > Limits.MAX_OBJECT_BYTES) {
            throw new ProgramAbort(ExecutionStatus.LIMIT_EXCEEDED, "object of " + contents.length + " bytes");
        }
        if (writes.size() + deleted.size() >= Limits.MAX_OBJECTS_PER_EFFECTS && !writes.containsKey(prior.id())) {
            throw new ProgramAbort(ExecutionStatus.LIMIT_EXCEEDED, "too many objects written");
        }
        // Placeholder version 1: real versions are assigned in finish(), once all reads are known.
        StoredObject next = new StoredObject(prior.id(), 1, owner, type, contents);
        current.put(prior.id(), next);
        writes.put(prior.id(), new Pending(owner, type, contents));
    }

    @Override
    public ObjectId create(Owner owner, String typeTag, byte[] contents) {
        ObjectId id = ObjectId.created(tx.digest(), created++);
        StoredObject o = new StoredObject(id, 1, owner, typeTag, contents);
        current.put(id, o);
        writable.add(id);
        put(o, owner, typeTag, contents);
        return id;
    }

    @Override
    public void mutate(ObjectId id, byte[] contents) {
        StoredObject o = requireWritable(id);
        put(o, o.owner(), o.typeTag(), contents);
    }

    @Override
    public void transfer(ObjectId id, Owner newOwner) {
        StoredObject o = requireWritable(id);
        put(o, newOwner, o.typeTag(), o.contents());
    }

    @Override
    public void writeChild(ObjectId parent, byte[] key, String typeTag, byte[] contents) {
        if (!writable.contains(parent)) {
            throw new ProgramAbort(ExecutionStatus.IMMUTABLE_WRITE, "parent " + parent + " is not writable");
        }
        StoredObject existing = readChild(parent, key);
        ObjectId childId = ObjectId.derive(parent, key);
        StoredObject prior = existing != null ? existing : new StoredObject(childId, 1, Owner.parent(parent), typeTag, contents);
        current.put(childId, prior);
        deleted.remove(childId);
        put(prior, Owner.parent(parent), typeTag, contents);
    }

    @Override
    public void delete(ObjectId id) {
        requireWritable(id);
        writes.remove(id);
        deleted.put(id, Boolean.TRUE);
        current.remove(id);
    }

    @Override
    public byte[] precompile(int functionId, byte[] input) {
        Precompile p = precompiles.get(functionId);
        if (p == null) {
            throw new ProgramAbort(ExecutionStatus.UNKNOWN_FUNCTION, "precompile " + functionId);
        }
        if (precompileResults.size() >= Limits.MAX_PRECOMPILES) {
            throw new ProgramAbort(ExecutionStatus.LIMIT_EXCEEDED, "more than " + Limits.MAX_PRECOMPILES + " precompile calls");
        }
        chargeGas(p.gasCost(input));
        Digest key = Precompiles.inputDigest(input);
        byte[] out = hints == null ? null : hints.precompileOutput(functionId, key);
        if (out != null) {
            precompilesReused++;
        } else {
            out = p.apply(input);
        }
        precompileResults.add(new PrecompileResult(functionId, key, out));
        return out.clone();
    }

    @Override
    public void chargeGas(long units) {
        if (units < 0) {
            throw new ProgramAbort(ExecutionStatus.BAD_ARGUMENTS, "negative gas " + units);
        }
        gasUsed += units;
        if (gasUsed > budget || gasUsed < 0) {
            gasUsed = budget;
            throw new ProgramAbort(ExecutionStatus.OUT_OF_GAS, "out of gas (budget " + budget + ")");
        }
    }

    @Override
    public void emit(String type, byte[] data) {
        if (events.size() >= Limits.MAX_EVENTS || data.length > Limits.MAX_EVENT_BYTES) {
            throw new ProgramAbort(ExecutionStatus.LIMIT_EXCEEDED, "event limit");
        }
        chargeGas(Gas.PER_EVENT);
        events.add(new Event(type, data.clone()));
    }

    private long lamport() {
        long max = 0;
        for (ObjectRef r : reads.values()) {
            max = Math.max(max, r.version());
        }
        return max + 1;
    }

    Effects finish() {
        for (Map.Entry<ObjectId, Pending> e : writes.entrySet()) {
            chargeGas(Gas.PER_OBJECT_WRITE + e.getValue().contents().length * Gas.PER_BYTE_WRITTEN);
        }
        long lamport = lamport();
        List<Effects.ModifiedAt> modified = new ArrayList<>();
        List<Effects.Written> written = new ArrayList<>(writes.size());
        for (Map.Entry<ObjectId, Pending> e : writes.entrySet()) {
            ObjectRef before = reads.get(e.getKey());
            boolean existed = before != null && !before.isAbsent();
            if (existed) {
                modified.add(new Effects.ModifiedAt(e.getKey(), before.version()));
            }
            Pending p = e.getValue();
            written.add(new Effects.Written(new StoredObject(e.getKey(), lamport, p.owner(), p.typeTag(), p.contents()), !existed));
        }
        List<ObjectId> dels = new ArrayList<>();
        for (ObjectId id : deleted.keySet()) {
            ObjectRef before = reads.get(id);
            if (before != null && !before.isAbsent()) {
                modified.add(new Effects.ModifiedAt(id, before.version()));
                dels.add(id);
            }
        }
        return new Effects(tx.digest(), ExecutionStatus.SUCCESS, gasUsed, lamport, modified, written, dels, events);
    }

    Effects failed(int code, String message) {
        return Effects.failure(tx.digest(), ExecutionStatus.failure(code, message), gasUsed, lamport());
    }

    List<ObjectRef> reads() {
        return List.copyOf(reads.values());
    }

    List<PrecompileResult> precompileResults() {
        return precompileResults;
    }

    int precompilesReused() {
        return precompilesReused;
    }
}
