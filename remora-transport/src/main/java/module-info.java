/**
 * Remora's transport: framed, authenticated links (Netty TCP and an in-memory twin). Payload-agnostic:
 * it does not read remora.core. Exports the API ({@code io.remora.transport}) and the optional metrics
 * binder; the implementation ({@code io.remora.transport.internal}: codec, handlers, Netty wiring) is
 * not exported to anyone, and no Netty type appears in an exported signature.
 */
module remora.transport {
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires jdk.httpserver;
    // Optional (TransportMeterBinder only): present at run time only if the host puts it there.
    requires static transitive micrometer.core;

    exports io.remora.transport;
    exports io.remora.transport.micrometer;
}
