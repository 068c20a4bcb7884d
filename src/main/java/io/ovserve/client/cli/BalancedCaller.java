package io.ovserve.client.cli;

import io.ovserve.client.ClientStats;
import io.ovserve.client.PredictClient;
import io.ovserve.client.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;

/** Every call balanced across the discovered replicas by the {@link PredictClient}. */
final class BalancedCaller implements Caller {

    private final PredictClient client;
    private volatile ClientStats before = new ClientStats(Map.of(), 0, 0);

    BalancedCaller(ClientOptions options) {
        var builder = PredictClient.builder().loadBalancer(options.loadBalancer())
                .deadline(Duration.ofMillis(options.deadlineMs()))
                .retryPolicy(RetryPolicy.DEFAULT.withMaxAttempts(options.maxAttempts()))
                .maxInboundMessageSize(Integer.MAX_VALUE)
                .metrics(false);
        if (options.service().isPresent()) {
            builder.kubernetes(options.namespace(), options.service().get()).port(options.grpcPort());
            options.kubernetesApi().ifPresent(builder::kubernetesApiServer);
        } else {
            builder.staticTargets(options.targets());
        }
        options.serverCert().ifPresent(builder::tls);
        options.clientCert().ifPresent(cert -> builder.clientCertificate(cert, options.clientKey().orElseThrow()));
        options.serverName().ifPresent(builder::authority);
        this.client = builder.build();
    }

    @Override
    public CompletableFuture<PredictResponse> predict(PredictRequest request) {
        return client.predictAsync(request);
    }

    @Override
    public GetModelMetadataResponse metadata(GetModelMetadataRequest request) {
        return client.getModelMetadata(request);
    }

    @Override
    public Map<String, Long> perReplica() {
        Map<String, Long> counts = new TreeMap<>(client.stats().okPerInstance());
        before.okPerInstance().forEach((replica, count) -> counts.computeIfPresent(replica, (key, now) -> now - count));
        return counts;
    }

    @Override
    public long retries() {
        return client.stats().retries() - before.retries();
    }

    @Override
    public void resetCounts() {
        before = client.stats();
    }

    @Override
    public void close() {
        client.close();
    }
}
