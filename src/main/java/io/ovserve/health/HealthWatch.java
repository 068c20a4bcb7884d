package io.ovserve.health;

import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.stub.ServerCallStreamObserver;
import io.ovserve.api.GrpcReplies;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.util.function.Consumer;

/**
 * One open {@code grpc.health.v1.Health/Watch} call: sent a message only when the status changes,
 * SERVICE_UNKNOWN once (and never anything else) for a service not served. Used from one thread.
 */
final class HealthWatch {

    /** health.proto's SERVICE_UNKNOWN, missing from the copy of health.proto that Quarkus compiles. */
    static final int SERVICE_UNKNOWN = 3;

    private final ServerCallStreamObserver<HealthCheckResponse> call;
    private final boolean served;
    private int sent = -1;

    HealthWatch(ServerCallStreamObserver<HealthCheckResponse> call, boolean served, Consumer<HealthWatch> cancelled) {
        this.call = call;
        this.served = served;
        call.setOnCancelHandler(() -> cancelled.accept(this));
    }

    void send(ServingStatus status) {
        int next = served ? status.getNumber() : SERVICE_UNKNOWN;
        if (next != sent && !call.isCancelled()) {
            sent = next;
            call.onNext(HealthCheckResponse.newBuilder().setStatusValue(next).build());
        }
    }

    /** Ends the call as the server stops: UNAVAILABLE, as every call refused while shutting down. */
    void end() {
        if (!call.isCancelled()) {
            call.onError(GrpcReplies.toStatus(new ServingException(StatusCode.SHUTTING_DOWN,
                    "the server is shutting down: watch another replica")));
        }
    }
}
