package io.ovserve.api.rest;

import io.ovserve.api.CallAdmission;
import io.ovserve.api.RejectionLog;
import io.ovserve.inference.ServingException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admission of the REST APIs' calls ({@code /v1/...}, {@code /v2/...}) from the request line alone,
 * before the body is read ({@link CallAdmission}, as the gRPC {@link io.ovserve.api.CallGate}): a
 * refused call answers 503 at once and holds no memory. An admitted call is counted until its response
 * ends or its connection closes, so graceful shutdown waits for it.
 */
@ApplicationScoped
public class RestGate {

    private final CallAdmission admission;
    private final RejectionLog rejections = new RejectionLog();

    RestGate(CallAdmission admission) {
        this.admission = admission;
    }

    void register(@Observes Router router) {
        // before Quarkus REST (ROUTE_ORDER_DEFAULT), which reads the body before it calls a resource
        router.routeWithRegex("/v[12](/.*)?").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::admit);
    }

    private void admit(RoutingContext context) {
        try {
            admission.enter(isInference(context));
        } catch (ServingException refused) {
            rejections.rejected(refused.status().name() + " at admission (REST)", refused.getMessage());
            RestReplies.mark(context.response(), refused);
            context.response().setStatusCode(refused.status().httpStatus())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(io.vertx.core.buffer.Buffer.buffer(RestReplies.errorBody(refused)));
            return;
        }
        AtomicBoolean counted = new AtomicBoolean(true);
        context.addEndHandler(ended -> {
            if (counted.getAndSet(false)) {
                admission.exit();
            }
        });
        context.next();
    }

    /** Every POST of the two APIs is an inference (KServe's {@code .../infer}, TensorFlow Serving's {@code ...:predict}) or a 400. */
    private static boolean isInference(RoutingContext context) {
        return context.request().method() == HttpMethod.POST;
    }
}
