package io.ovserve.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An HTTP/2 client (h2c, prior knowledge) that writes frames as it is told, with none of the stream
 * bookkeeping a client stack does: it can keep sending DATA on a stream the server has ended or reset,
 * as a client whose frames were already on their way does. It records the frames the server sends on
 * streams (and its GOAWAY, PING ACKs and closing the connection), in the order they arrive; it
 * acknowledges the server's SETTINGS and PINGs itself.
 */
public final class RawHttp2Client implements AutoCloseable {

    /** HTTP/2's CANCEL, REFUSED_STREAM and STREAM_CLOSED error codes. */
    public static final long CANCEL = 0x8;
    public static final long REFUSED_STREAM = 0x7;
    public static final long STREAM_CLOSED = 0x5;

    public enum Type { HEADERS, DATA, RST_STREAM, GOAWAY, PING_ACK, CONNECTION_CLOSED }

    /** One frame from the server; {@code headers} for HEADERS, {@code errorCode} for RST_STREAM and GOAWAY. */
    public record Frame(Type type, int stream, Http2Headers headers, boolean endStream, long errorCode, byte[] data) {

        /** The grpc-status of a HEADERS frame, as sent. */
        public String grpcStatus() {
            CharSequence status = headers == null ? null : headers.get("grpc-status");
            return status == null ? null : status.toString();
        }

        @Override
        public String toString() {
            return type + " stream " + stream + (headers != null ? " " + headers : "")
                    + (endStream ? " END_STREAM" : "") + (type == Type.RST_STREAM || type == Type.GOAWAY
                            ? " error " + errorCode + " " + new String(data, StandardCharsets.UTF_8) : "");
        }
    }

    private static final long WAIT_SECONDS = 30;

    private final EventLoopGroup loop = new NioEventLoopGroup(1);
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
    private final Channel channel;
    private ChannelHandlerContext context; // the frames' handler's, set on the event loop before any write
    private int nextStream = 1;

    private RawHttp2Client(int port) throws InterruptedException {
        channel = new Bootstrap().group(loop).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new Frames());
            }
        }).connect("localhost", port).sync().channel();
    }

    /** Connected to the server's gRPC port, its preface and empty SETTINGS sent. */
    public static RawHttp2Client connect(int port) throws InterruptedException {
        return new RawHttp2Client(port);
    }

    /** Sends the HEADERS of a gRPC call of {@code method} (its full name), without END_STREAM; its stream's id. */
    public int startCall(String method) {
        int stream = nextStream;
        nextStream += 2;
        Http2Headers headers = new DefaultHttp2Headers().method("POST").scheme("http").authority("localhost")
                .path("/" + method).add("content-type", "application/grpc").add("te", "trailers");
        write(ctx -> writer.writeHeaders(ctx, stream, headers, 0, false, ctx.newPromise()));
        return stream;
    }

    /** Sends {@code bytes} as one DATA frame on {@code stream}, whatever state the stream is in. */
    public void send(int stream, byte[] bytes, boolean endStream) {
        write(ctx -> writer.writeData(ctx, stream, Unpooled.wrappedBuffer(bytes), 0, endStream, ctx.newPromise()));
    }

    /** Sends a PING: its ACK comes after the server has handled every frame sent before it. */
    public void ping(long payload) {
        write(ctx -> writer.writePing(ctx, false, payload, ctx.newPromise()));
    }

    /** A gRPC message's 5-byte prefix (uncompressed) announcing {@code length} bytes, and {@code bytes}. */
    public static byte[] grpcMessage(int length, byte[] bytes) {
        return ByteBuffer.allocate(5 + bytes.length).put((byte) 0).putInt(length).put(bytes).array();
    }

    /** The next frame from the server; fails if none comes within 30 s. */
    public Frame next() throws InterruptedException {
        Frame frame = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(frame).as("a frame from the server within %d s", WAIT_SECONDS).isNotNull();
        return frame;
    }

    /** The frames the server sent until it acknowledged a PING sent now, that ACK excluded. */
    public List<Frame> framesUntilPingAck() throws InterruptedException {
        long payload = System.nanoTime();
        ping(payload);
        List<Frame> frames = new ArrayList<>();
        for (Frame frame = next(); frame.type() != Type.PING_ACK; frame = next()) {
            frames.add(frame);
            if (frame.type() == Type.CONNECTION_CLOSED) {
                break;
            }
        }
        return frames;
    }

    private void write(Consumer<ChannelHandlerContext> frame) {
        channel.eventLoop().submit(() -> {
            frame.accept(context);
            context.flush();
        }).syncUninterruptibly();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Reads the server's frames into {@link #received}. */
    private final class Frames extends ByteToMessageDecoder {

        private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader();

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            context = ctx;
            ctx.write(Http2CodecUtil.connectionPrefaceBuf());
            writer.writeSettings(ctx, new Http2Settings(), ctx.newPromise());
            ctx.flush();
            super.channelActive(ctx);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            reader.readFrame(ctx, in, new Http2FrameAdapter() {
                @Override
                public int onDataRead(ChannelHandlerContext ctx, int stream, ByteBuf data, int padding, boolean end) {
                    received.add(new Frame(Type.DATA, stream, null, end, 0, ByteBufUtil.getBytes(data)));
                    return data.readableBytes() + padding;
                }

                @Override
                public void onHeadersRead(ChannelHandlerContext ctx, int stream, Http2Headers headers, int padding,
                        boolean end) {
                    received.add(new Frame(Type.HEADERS, stream, headers, end, 0, new byte[0]));
                }

                @Override
                public void onHeadersRead(ChannelHandlerContext ctx, int stream, Http2Headers headers,
                        int dependency, short weight, boolean exclusive, int padding, boolean end) {
                    onHeadersRead(ctx, stream, headers, padding, end);
                }

                @Override
                public void onRstStreamRead(ChannelHandlerContext ctx, int stream, long errorCode) {
                    received.add(new Frame(Type.RST_STREAM, stream, null, false, errorCode, new byte[0]));
                }

                @Override
                public void onGoAwayRead(ChannelHandlerContext ctx, int lastStream, long errorCode, ByteBuf debug) {
                    received.add(new Frame(Type.GOAWAY, lastStream, null, false, errorCode, ByteBufUtil.getBytes(debug)));
                }

                @Override
                public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
                    writer.writeSettingsAck(ctx, ctx.newPromise());
                    ctx.flush();
                }

                @Override
                public void onPingRead(ChannelHandlerContext ctx, long data) {
                    writer.writePing(ctx, true, data, ctx.newPromise());
                    ctx.flush();
                }

                @Override
                public void onPingAckRead(ChannelHandlerContext ctx, long data) {
                    received.add(new Frame(Type.PING_ACK, 0, null, false, 0, new byte[0]));
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            received.add(new Frame(Type.CONNECTION_CLOSED, 0, null, false, 0, new byte[0]));
            super.channelInactive(ctx);
        }
    }
}
