package io.remora.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.remora.transport.FrameProtection;
import io.remora.transport.ProtocolException;
import io.remora.transport.ProtocolException.Category;
import io.remora.transport.TransportConfig;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The authentication gate (protocol in {@link HandshakeCodec}). Consumes and releases every frame
 * until the peer is authenticated, so nothing from an unauthenticated peer reaches later handlers and
 * nothing application-level is sent before. On success it fires {@link HandshakeCompleted} (carrying
 * the peer's authenticated heartbeat interval) and removes itself. Any other frame before that is
 * {@link Category#UNAUTHENTICATED}; a bad MAC, an out-of-order step or an announced heartbeat interval
 * outside 1 ms..1 h is {@link Category#HANDSHAKE_FAILED}; not finishing in time is
 * {@link Category#HANDSHAKE_TIMEOUT}.
 * Errors are fired as {@code exceptionCaught} (the {@link ConnectionHandler} counts them and closes).
 *
 * <p>Thread-safety: not thread-safe; one instance per channel, used on its event loop.
 */
public final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    /** Which side of the handshake this handler plays. */
    public enum Role { CLIENT, SERVER }

    private enum State { AWAIT_HELLO, AWAIT_CHALLENGE, AWAIT_RESPONSE, AWAIT_ACCEPT, DONE, FAILED }

    private final Role role;
    private final TransportConfig config;
    private final SecureRandom random;
    /** The key this connection's proofs use: the client's node key (a server derives it from the claimed id). */
    private byte[] secret;
    private final byte[] localId;
    private final long localHeartbeatMillis;
    private final int localProtection;
    private int remoteProtection;
    private State state;
    private byte[] nonceC;
    private byte[] nonceS;
    private byte[] remoteId;
    private long remoteHeartbeatMillis;
    private ScheduledFuture<?> timeout;

    public HandshakeHandler(Role role, TransportConfig config, SecureRandom random) {
        this.role = role;
        this.config = config;
        this.random = random;
        this.secret = role == Role.CLIENT ? config.nodeKey() : null;
        this.localId = config.nodeId().getBytes(StandardCharsets.UTF_8);
        this.localHeartbeatMillis = HandshakeCodec.heartbeatMillis(config.heartbeatInterval());
        this.localProtection = config.frameProtection().ordinal();
        this.state = role == Role.SERVER ? State.AWAIT_HELLO : State.AWAIT_CHALLENGE;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long nanos = config.handshakeTimeout().toNanos();
        timeout = ctx.executor().schedule(() -> fail(ctx, new ProtocolException(Category.HANDSHAKE_TIMEOUT,
            "not authenticated within " + config.handshakeTimeout())), nanos, TimeUnit.NANOSECONDS);
        if (role == Role.CLIENT) {
            nonceC = nonce();
            ByteBuf hello = header(ctx, FrameCodec.TYPE_HELLO, HandshakeCodec.greetingLength(localId.length, false));
            HandshakeCodec.writeGreeting(hello, localId, nonceC, localHeartbeatMillis, localProtection, null);
            ctx.writeAndFlush(hello, ctx.voidPromise());
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            if (state == State.FAILED || state == State.DONE) {
                return;
            }
            int type = FrameCodec.type(frame);
            if (type == FrameCodec.TYPE_CLOSE) {
                state = State.FAILED;
                cancelTimeout();
                ctx.close();
                return;
            }
            if (type < FrameCodec.TYPE_HELLO || type > FrameCodec.TYPE_ACCEPT) {
                throw new ProtocolException(Category.UNAUTHENTICATED, "type=" + type + " before authentication");
            }
            step(ctx, type, frame);
        } catch (ProtocolException e) {
            fail(ctx, e);
        } finally {
            frame.release();
        }
    }

    private HandshakeCodec.Transcript transcript() {
        return role == Role.CLIENT
            ? new HandshakeCodec.Transcript(nonceC, nonceS, localId, remoteId, localHeartbeatMillis,
                remoteHeartbeatMillis, localProtection, remoteProtection)
            : new HandshakeCodec.Transcript(nonceC, nonceS, remoteId, localId, remoteHeartbeatMillis,
                localHeartbeatMillis, remoteProtection, localProtection);
    }

    private void step(ChannelHandlerContext ctx, int type, ByteBuf frame) {
        if (state == State.AWAIT_HELLO && type == FrameCodec.TYPE_HELLO) {
            HandshakeCodec.Greeting hello = HandshakeCodec.readGreeting(frame, false);
            remoteId = hello.nodeId();
            remoteHeartbeatMillis = hello.heartbeatMillis();
            remoteProtection = hello.protection();
            nonceC = hello.nonce();
            nonceS = nonce();
            // Per-node keys: only a holder of the key of the id it claims can complete the handshake.
            secret = TransportConfig.deriveNodeKey(config.clusterSecret(), hello.nodeIdString());
            byte[] macS = HandshakeCodec.mac(secret, HandshakeCodec.ROLE_SERVER, transcript());
            ByteBuf out = header(ctx, FrameCodec.TYPE_CHALLENGE, HandshakeCodec.greetingLength(localId.length, true));
            HandshakeCodec.writeGreeting(out, localId, nonceS, localHeartbeatMillis, localProtection, macS);
            ctx.writeAndFlush(out, ctx.voidPromise());
            state = State.AWAIT_RESPONSE;
        } else if (state == State.AWAIT_CHALLENGE && type == FrameCodec.TYPE_CHALLENGE) {
            HandshakeCodec.Greeting challenge = HandshakeCodec.readGreeting(frame, true);
            remoteId = challenge.nodeId();
            remoteHeartbeatMillis = challenge.heartbeatMillis();
            remoteProtection = challenge.protection();
            nonceS = challenge.nonce();
            byte[] expected = HandshakeCodec.mac(secret, HandshakeCodec.ROLE_SERVER, transcript());
            if (!HandshakeCodec.verify(expected, challenge.mac())) {
                throw new ProtocolException(Category.HANDSHAKE_FAILED, "server MAC mismatch");
            }
            byte[] macC = HandshakeCodec.mac(secret, HandshakeCodec.ROLE_CLIENT, transcript());
            ByteBuf out = header(ctx, FrameCodec.TYPE_RESPONSE, HandshakeCodec.MAC_LENGTH);
            ctx.writeAndFlush(out.writeBytes(macC), ctx.voidPromise());
            state = State.AWAIT_ACCEPT;
        } else if (state == State.AWAIT_RESPONSE && type == FrameCodec.TYPE_RESPONSE) {
            byte[] mac = HandshakeCodec.readResponse(frame);
            byte[] expected = HandshakeCodec.mac(secret, HandshakeCodec.ROLE_CLIENT, transcript());
            if (!HandshakeCodec.verify(expected, mac)) {
                throw new ProtocolException(Category.HANDSHAKE_FAILED, "client MAC mismatch");
            }
            ctx.writeAndFlush(header(ctx, FrameCodec.TYPE_ACCEPT, 0), ctx.voidPromise()); // the last plaintext frame
            complete(ctx);
        } else if (state == State.AWAIT_ACCEPT && type == FrameCodec.TYPE_ACCEPT) {
            if (FrameCodec.payloadLength(frame) != 0) {
                throw new ProtocolException(Category.HANDSHAKE_FAILED, "non-empty ACCEPT");
            }
            complete(ctx);
        } else {
            throw new ProtocolException(Category.HANDSHAKE_FAILED, "type=" + type + " in state " + state);
        }
    }

    private void complete(ChannelHandlerContext ctx) {
        state = State.DONE;
        cancelTimeout();
        HandshakeCodec.Transcript t = transcript();
        FrameProtection protection = t.protection();
        FrameProtector protector = ctx.pipeline().get(FrameProtector.class);
        if (protector != null && protection != FrameProtection.NONE) {
            byte[][] keys = HandshakeCodec.frameKeys(secret, t);
            protector.activate(protection, role == Role.CLIENT ? keys[0] : keys[1],
                role == Role.CLIENT ? keys[1] : keys[0]);
        }
        FrameDecoder decoder = ctx.pipeline().get(FrameDecoder.class);
        if (decoder != null) {
            decoder.authenticated();
        }
        ctx.fireUserEventTriggered(new HandshakeCompleted(new String(remoteId, StandardCharsets.UTF_8),
            remoteHeartbeatMillis, protection));
        if (ctx.pipeline().context(this) != null) {
            ctx.pipeline().remove(this);
        }
    }

    private void fail(ChannelHandlerContext ctx, ProtocolException e) {
        if (state == State.FAILED || state == State.DONE) {
            return;
        }
        state = State.FAILED;
        cancelTimeout();
        ctx.fireExceptionCaught(e);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private byte[] nonce() {
        byte[] n = new byte[HandshakeCodec.NONCE_LENGTH];
        random.nextBytes(n);
        return n;
    }

    private static ByteBuf header(ChannelHandlerContext ctx, int type, int payloadLength) {
        return FrameCodec.allocateFrame(ctx.alloc(), type, payloadLength);
    }
}
