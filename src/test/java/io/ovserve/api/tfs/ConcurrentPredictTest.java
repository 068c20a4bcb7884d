package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.floatsOf;
import static io.ovserve.support.Tensors.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tensorflow.serving.PredictionServiceGrpc;
import tensorflow.serving.Predict.PredictResponse;

@QuarkusTest
class ConcurrentPredictTest extends ServingTest {

    @Test
    void sixtyFourConcurrentPredictsEachGetTheirOwnResult() throws Exception {
        PredictionServiceGrpc.PredictionServiceFutureStub async = PredictionServiceGrpc.newFutureStub(channel)
                .withDeadlineAfter(60, TimeUnit.SECONDS);
        List<ListenableFuture<PredictResponse>> replies = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            replies.add(async.predict(request("affine").putInputs("x", floats(new long[] {1, 4}, i, -i, i * 0.5f, 1))
                    .build()));
        }

        for (int i = 0; i < 64; i++) {
            assertThat(floatsOf(replies.get(i).get(60, TimeUnit.SECONDS), "y")).as("request %d", i)
                    .containsExactly(3 * i + 1, -3 * i + 1, 1.5f * i + 1, 4);
        }
    }
}
