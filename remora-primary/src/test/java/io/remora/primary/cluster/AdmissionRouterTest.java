package io.remora.primary.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.remora.core.Address;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.Transaction;
import io.remora.transport.Connection;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing stickiness: an object in flight stays with its peer across a join, then follows the hash. */
class AdmissionRouterTest {
    private static final long MS = 1_000_000L;

    static PeerLink peer(String id) {
        Connection c = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "remoteNodeId" -> id;
                    case "isOpen", "isWritable" -> true;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> id;
                    default -> null;
                });
        return new PeerLink(c, 200);
    }

    private static Transaction spending(long object) {
        return Transaction.of(Address.of(0, 0, 0, object), new byte[32], 0, 1000,
                List.of(InputObject.shared(ObjectId.of(object, 1, 2, 3), true)), "counter", "add", new byte[0], new byte[64]);
    }

    @Test
    void shouldKeepAnObjectInFlightWithItsPeerAfterAJoinAndMoveItOnceIdle() {
        PeerLink a = peer("pre-a");
        PeerLink b = peer("pre-b");
        PeerLink c = peer("pre-c");
        List<PeerLink> two = List.of(a, b);
        List<PeerLink> three = List.of(a, b, c);
        // An object the hash gives to pre-a among two and to the newcomer pre-c among three.
        Transaction tx = null;
        for (long o = 1; o < 10_000 && tx == null; o++) {
            Transaction t = spending(o);
            if (AdmissionRouter.preferred(t, two) == a && AdmissionRouter.preferred(t, three) == c) {
                tx = t;
            }
        }
        assertNotNull(tx, "no object moves from pre-a to pre-c");
        ClusterCounters counters = new ClusterCounters();
        AdmissionRouter router = new AdmissionRouter(7, 1_000 * MS);
        long now = 5_000 * MS;
        assertSame(a, router.route(tx, two, counters, now));
        assertSame(a, router.route(tx, three, counters, now + 100 * MS), "in flight: stays with pre-a");
        assertEquals(1, counters.routedSticky());
        assertSame(a, router.route(tx, three, counters, now + 1_050 * MS), "still in flight (refreshed at +100 ms)");
        assertSame(c, router.route(tx, three, counters, now + 2_100 * MS), "idle for the window: follows the hash");
        assertEquals(2, counters.routedSticky());
        // The peer it was with is gone: the hash decides at once.
        assertSame(b, router.route(tx, List.of(b), counters, now + 2_200 * MS));
        // Off: no entry kept, the hash decides.
        AdmissionRouter off = new AdmissionRouter(7, 0);
        off.route(tx, two, counters, now);
        assertSame(c, off.route(tx, three, counters, now + MS));
        assertEquals(0, off.stickyEntries());
    }

    @Test
    void shouldForgetIdleObjectsAndStayBounded() {
        PeerLink a = peer("pre-a");
        ClusterCounters counters = new ClusterCounters();
        AdmissionRouter router = new AdmissionRouter(7, 10 * MS);
        for (int i = 0; i < 5_000; i++) {
            router.route(spending(i), List.of(a), counters, i * MS);
        }
        // A sweep every 4,096 routes drops the entries older than the window.
        assertEquals(5_000 - 4_096 + 10, router.stickyEntries());
    }
}
