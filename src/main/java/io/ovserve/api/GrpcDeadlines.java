package io.ovserve.api;

import io.grpc.Context;
import io.grpc.Deadline;
import io.ovserve.inference.InferenceRequest;
import java.util.concurrent.TimeUnit;

/** The caller's gRPC deadline handed to the engine, which knows nothing of gRPC. */
public final class GrpcDeadlines {

    private GrpcDeadlines() {
    }

    /** The request due by the current call's deadline, if the caller set one: still waiting then, it is dropped. */
    public static InferenceRequest withCallersDeadline(InferenceRequest request) {
        Deadline deadline = Context.current().getDeadline();
        return deadline == null ? request
                : request.withDeadline(System.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS));
    }
}
