package io.ovserve.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per instance (host:port), all on one Netty event-loop group. A channel whose
 * instance discovery no longer lists is shut down gracefully: calls already on it complete, new
 * ones fail over to another instance.
 */
final class InstanceChannels implements AutoCloseable {

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final EventLoopGroup eventLoops;
    private final Executor callbacks;
    private final int maxInboundMessageSize;

    InstanceChannels(int eventLoopThreads, Executor callbacks, int maxInboundMessageSize) {
        this.eventLoops = new NioEventLoopGroup(eventLoopThreads, Threads.daemon("ovserve-client-netty"));
        this.callbacks = callbacks;
        this.maxInboundMessageSize = maxInboundMessageSize;
    }

    ManagedChannel channel(String host, int port) {
        return channels.computeIfAbsent(host + ":" + port, key -> NettyChannelBuilder.forAddress(host, port)
                .usePlaintext()
                .eventLoopGroup(eventLoops)
                .channelType(NioSocketChannel.class)
                .executor(callbacks)
                .maxInboundMessageSize(maxInboundMessageSize)
                .build());
    }

    void retainOnly(Set<String> instances) {
        channels.entrySet().removeIf(entry -> {
            boolean vanished = !instances.contains(entry.getKey());
            if (vanished) {
                entry.getValue().shutdown();
            }
            return vanished;
        });
    }

    int size() {
        return channels.size();
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        try {
            for (ManagedChannel channel : channels.values()) {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channels.clear();
        eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
