package io.ovserve.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per instance (host:port), all on one Netty event-loop group. A channel whose
 * instance discovery no longer lists is shut down: it terminates once the attempts on it are gone
 * (the balancer moves them elsewhere), and new ones go to another instance. Keepalive pings find a
 * peer that vanished without closing its connection while discovery still lists it (a network
 * partition, a frozen process): the connection fails and its attempts end UNAVAILABLE, which the
 * balancer retries elsewhere.
 */
final class InstanceChannels implements AutoCloseable {

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    /** Channels of vanished instances, shut down but maybe still finishing calls. */
    private final Set<ManagedChannel> draining = ConcurrentHashMap.newKeySet();
    private final EventLoopGroup eventLoops;
    private final Executor callbacks;
    private final Settings settings;
    private boolean closed;

    /**
     * How the channels are built.
     *
     * @param keepAliveTime how long a connection with calls on it may stay silent before the client pings
     *        it (grpc-java raises anything under 10 s to 10 s); null: no keepalive
     * @param keepAliveTimeout how long the client waits for the ping's answer before it fails the connection
     * @param security plaintext or TLS towards every instance
     */
    record Settings(int eventLoopThreads, int maxInboundMessageSize, Duration keepAliveTime,
            Duration keepAliveTimeout, ChannelSecurity security) {
    }

    InstanceChannels(Settings settings, Executor callbacks) {
        this.eventLoops = new NioEventLoopGroup(settings.eventLoopThreads(), Threads.daemon("ovserve-client-netty"));
        this.callbacks = callbacks;
        this.settings = settings;
    }

    /** The instance's channel, opened on first use; throws IllegalStateException once closed. */
    ManagedChannel channel(String host, int port) {
        String key = host + ":" + port;
        ManagedChannel open = channels.get(key);
        return open != null ? open : open(key, host, port);
    }

    /** Under the lock that close takes, so that no channel opens after close has shut them all. */
    private synchronized ManagedChannel open(String key, String host, int port) {
        if (closed) {
            throw new IllegalStateException("the channels are closed");
        }
        return channels.computeIfAbsent(key, absent -> build(host, port));
    }

    private ManagedChannel build(String host, int port) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(host, port)
                .eventLoopGroup(eventLoops)
                .channelType(NioSocketChannel.class)
                .executor(callbacks)
                .maxInboundMessageSize(settings.maxInboundMessageSize());
        settings.security().applyTo(builder, host);
        if (settings.keepAliveTime() != null) {
            // only while calls are open (keepAliveWithoutCalls stays false): what servers permit by default
            builder.keepAliveTime(settings.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                    .keepAliveTimeout(settings.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        return builder.build();
    }

    void retainOnly(Set<String> instances) {
        for (String key : Set.copyOf(channels.keySet())) {
            if (!instances.contains(key)) {
                // Out of the map first, so no new call picks up a channel that is shutting down.
                ManagedChannel channel = channels.remove(key);
                if (channel != null) {
                    channel.shutdown();
                    draining.add(channel);
                }
            }
        }
        draining.removeIf(ManagedChannel::isTerminated);
    }

    @Override
    public void close() {
        List<ManagedChannel> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(channels.values());
        }
        all.addAll(draining);
        all.forEach(ManagedChannel::shutdownNow);
        try {
            for (ManagedChannel channel : all) {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channels.clear();
        draining.clear();
        eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
