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

    /** Counts from here on only: calls made before (metadata, warm-up) are left out of the report. */
    void resetCounts();

    /** Successful calls per replica ("host:port") since {@link #resetCounts}, as far as this caller can tell. */
    Map<String, Long> perReplica();

    /** Retries since {@link #resetCounts}. */
    long retries();

    @Override
    void close();
}
