package io.ovserve.client.cli;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;

/** How the client mode reaches the servers: one plain channel, or the balancing client. */
interface Caller extends AutoCloseable {

    CompletableFuture<PredictResponse> predict(PredictRequest request);

    GetModelMetadataResponse metadata(GetModelMetadataRequest request);

    /** Successful calls per replica ("host:port"), as far as this caller can tell. */
    Map<String, Long> perReplica();

    long retries();

    @Override
    void close();
}
