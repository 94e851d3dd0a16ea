package io.remora.primary;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A man in the middle on loopback, between a pre-executor and the primary, without any key: it
 * forwards frames both ways and, once, does {@link Action} to the first sealed record (type 7) of
 * more than {@value #LARGE} bytes the pre-executor sends: one that carries RESULT frames (its
 * heartbeats and requests are smaller), whatever the protection hides. Bounded: its threads are daemons and
 * {@link #close()} closes every socket.
 */
final class Relay implements AutoCloseable {
    enum Action { NONE, ALTER, REPLAY, DROP, INJECT }

    private static final int SEALED = 7;
    private static final int LARGE = 300;

    private final ServerSocket server;
    private final int target;
    private final Action action;
    private final AtomicBoolean done = new AtomicBoolean();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    Relay(int targetPort, Action action) throws IOException {
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        this.target = targetPort;
        this.action = action;
        Thread t = new Thread(this::accept, "relay-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Whether the action was done (it is done once). */
    boolean acted() {
        return done.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(in);
                sockets.add(out);
                start(() -> pump(in, out, true));
                start(() -> pump(out, in, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to, boolean fromPreExecutor) {
        try (from; to) {
            DataInputStream in = new DataInputStream(from.getInputStream());
            OutputStream out = to.getOutputStream();
            while (true) {
                int length = in.readInt();
                if (length < 4 || length > (32 << 20)) {
                    return;
                }
                byte[] frame = new byte[4 + length];
                frame[0] = (byte) (length >>> 24);
                frame[1] = (byte) (length >>> 16);
                frame[2] = (byte) (length >>> 8);
                frame[3] = (byte) length;
                in.readFully(frame, 4, length);
                if (fromPreExecutor && (frame[5] & 0xFF) == SEALED && frame.length > LARGE && action != Action.NONE && done.compareAndSet(false, true)) {
                    act(frame, out);
                } else {
                    out.write(frame);
                }
                out.flush();
            }
        } catch (IOException e) {
            // a side closed: so does the relay
        }
    }

    private void act(byte[] frame, OutputStream out) throws IOException {
        switch (action) {
            case ALTER -> {
                frame[frame.length - 20] ^= 0x10; // a byte of the body (before a sealed frame's 16-byte tag)
                out.write(frame);
            }
            case REPLAY -> {
                out.write(frame);
                out.write(frame);
            }
            case DROP -> { }
            case INJECT -> {
                out.write(frame);
                byte[] forged = frame.clone();
                long seq = readLong(frame, 8) + 1; // it even gets the sequence number right
                for (int i = 0; i < 8; i++) {
                    forged[8 + i] = (byte) (seq >>> (56 - 8 * i));
                }
                forged[16] ^= 0x55;
                out.write(forged);
            }
            default -> out.write(frame);
        }
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
