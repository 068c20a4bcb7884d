package io.ovserve.api;

import io.grpc.Server;
import io.ovserve.model.ServingConfig;
import io.quarkus.grpc.runtime.GrpcServer;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.grpc.VertxServer;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Spreads gRPC connections over one event loop per core. Quarkus's gRPC server starts one
 * instance, so every connection lands on one event loop, which caps a replica at one core of
 * HTTP/2 and protobuf work; its own {@code quarkus.grpc.server.instances} setting fails at start in
 * Quarkus 3.33 (quarkusio/quarkus#54810). vertx-grpc shares one server per host and port and adds
 * the event loop of each verticle that starts it, so each verticle deployed here adds a loop to the
 * server Quarkus started, with the services Quarkus registered. {@code ovserve.grpc-event-loops}
 * (default: the number of cores, at least 2) sets how many; 1 leaves Quarkus's server as it is.
 * <p>
 * At shutdown, once the calls are drained ({@link io.ovserve.shutdown.GracefulShutdown}), the shared
 * server stops taking calls (GOAWAY: new calls fail UNAVAILABLE, which clients retry elsewhere)
 * before these loops leave it. A loop that left while the server still took calls failed each new
 * call on its connections INTERNAL (vertx-grpc has no context left on that thread to run it on).
 * Quarkus's own loop leaves the server that way too, when Vert.x closes, after the beans are gone:
 * with one loop only there is no server handle here to close it first, hence at least 2 by default.
 */
@ApplicationScoped
public class GrpcEventLoops {

    private static final Logger LOG = Logger.getLogger(GrpcEventLoops.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final GrpcServer server;
    private final int eventLoops;
    private final String host;
    private volatile Optional<String> deployment = Optional.empty();
    private final AtomicReference<VertxServer> joined = new AtomicReference<>(); // any loop's: they share one server

    GrpcEventLoops(Vertx vertx, GrpcServer server,
            ServingConfig config,
            @ConfigProperty(name = "quarkus.grpc.server.host", defaultValue = "0.0.0.0") String host) {
        this.vertx = vertx;
        this.server = server;
        this.eventLoops = config.grpcEventLoops().filter(n -> n > 0)
                .orElseGet(() -> Math.max(2, Runtime.getRuntime().availableProcessors()));
        this.host = host;
    }

    void start(@Observes StartupEvent event) throws Exception {
        int port = server.getPort();
        if (eventLoops < 2 || !server.isSeparateServer() || port <= 0) {
            return; // the unified server runs on the HTTP server's event loops; no server, nothing to join
        }
        deployment = Optional.of(vertx.deployVerticle(() -> new JoiningVerticle(host, port, joined),
                new DeploymentOptions().setInstances(eventLoops - 1))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
        LOG.infof("gRPC connections spread over %d event loops", eventLoops);
    }

    /**
     * After the drain (priority 1): stops the shared server taking calls, then leaves it before Quarkus
     * stops it, so its shutdown does not wait for these. In dev mode a live reload also fires the
     * shutdown event and Quarkus keeps the server across it: there it is left open.
     */
    void stop(@Observes @Priority(2) ShutdownEvent event) {
        if (deployment.isPresent() && LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            stopTakingCalls(joined.get().getRawServer());
        }
        deployment.ifPresent(id -> {
            try {
                vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warnf("extra gRPC event loops did not stop: %s", e.toString());
            }
        });
    }

    /** GOAWAY on every connection and no new ones; the calls still running may finish. */
    private static void stopTakingCalls(Server shared) {
        shared.shutdown();
        try {
            if (!shared.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.infof("gRPC server still closing connections after %s", STOP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the shutdown goes on: the loops still leave
        }
    }

    private static final class JoiningVerticle extends AbstractVerticle {

        private final String host;
        private final int port;
        private final AtomicReference<VertxServer> joined;

        JoiningVerticle(String host, int port, AtomicReference<VertxServer> joined) {
            this.host = host;
            this.port = port;
            this.joined = joined;
        }

        @Override
        public void start(Promise<Void> started) throws IOException {
            VertxServer server = VertxServerBuilder.forAddress(vertx, host, port).build();
            joined.set(server);
            server.start(started);
        }
    }
}
