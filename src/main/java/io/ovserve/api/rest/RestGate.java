package io.ovserve.api.rest;

import io.ovserve.api.CallAdmission;
import io.ovserve.api.RejectionLog;
import io.ovserve.inference.ServingException;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Admission of the REST APIs' calls ({@code /v1/...}, {@code /v2/...}), as the gRPC
 * {@link io.ovserve.api.CallGate}: from the request line, before the body is read, a call that would be
 * refused answers 503 at once and holds no memory; a call takes its place ({@link CallAdmission}) only
 * once its body has arrived ({@link ArrivingBody}, read here before Quarkus REST runs, which then never
 * reads it), so one that sends headers and then nothing, or its body slowly, holds none,
 * and is ended with 408 if its body has not arrived within {@code ovserve.request-body-timeout}. An
 * admitted call is counted until its response ends or its connection closes, so graceful shutdown
 * waits for it.
 */
@ApplicationScoped
public class RestGate {

    private static final long NONE = -1; // Vert.x timer ids start at 0

    private final CallAdmission admission;
    private final long maxBodySize;
    private final RejectionLog rejections = new RejectionLog();

    RestGate(CallAdmission admission,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.admission = admission;
        this.maxBodySize = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    }

    void register(@Observes Router router) {
        // before Quarkus REST (ROUTE_ORDER_DEFAULT): the body is read here, once
        router.routeWithRegex("/v[12](/.*)?").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::precheck);
    }

    private void precheck(RoutingContext context) {
        boolean inference = isInference(context);
        try {
            admission.precheck(inference);
        } catch (ServingException refused) {
            rejections.rejected(refused.status().name() + " at admission (REST)", refused.getMessage());
            end(context.response(), refused);
            return;
        }
        Gated gated = new Gated(context, inference);
        context.addEndHandler(ended -> gated.exit());
        if (!inference) {
            if (admitted(context, gated)) { // a GET's request line is all of it
                context.next();
            }
            return;
        }
        readAsItIs(context.request().headers());
        ArrivingBody.read(context, maxBodySize, body -> {
            if (admitted(context, gated)) {
                ArrivingBody.put(context, body); // a refused body is let go at once
                context.next();
            }
        });
    }

    /** The request has arrived: the call takes its place, or is answered its refusal (false). */
    private boolean admitted(RoutingContext context, Gated gated) {
        try {
            gated.enter();
            return true;
        } catch (ServingException refused) {
            rejections.rejected(refused.status().name() + " at admission (REST)", refused.getMessage());
            end(context.response(), refused);
            return false;
        }
    }

    /**
     * The APIs read a body as JSON or binary data whatever its Content-Type says, as OVMS does; {@code curl -d}
     * labels it a form. Quarkus REST and Vert.x treat a form body as form attributes (a JSON body would fail
     * to decode or pass the form attribute limit, a multipart one be spooled to disk): so a form label is
     * replaced before either sees it.
     */
    private static void readAsItIs(MultiMap headers) {
        String type = headers.get(HttpHeaders.CONTENT_TYPE);
        if (type != null && (startsWithIgnoreCase(type, "application/x-www-form-urlencoded")
                || startsWithIgnoreCase(type, "multipart/"))) {
            headers.set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
        }
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** Every POST of the two APIs is an inference (KServe's {@code .../infer}, TensorFlow Serving's {@code ...:predict}) or a 400. */
    private static boolean isInference(RoutingContext context) {
        return context.request().method() == HttpMethod.POST;
    }

    private static void end(HttpServerResponse response, ServingException refused) {
        RestReplies.mark(response, refused);
        response.setStatusCode(refused.status().httpStatus())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(RestReplies.errorBody(refused)));
    }

    /** One call from its request line to its end; its timer runs on the connection's event loop. */
    private final class Gated {

        private final RoutingContext context;
        private final boolean inference;
        private final AtomicBoolean entered = new AtomicBoolean();
        private volatile long timer;

        /** On the connection's event loop, which then runs the timer too. */
        Gated(RoutingContext context, boolean inference) {
            this.context = context;
            this.inference = inference;
            this.timer = context.vertx().setTimer(Math.max(1, admission.bodyTimeout().toMillis()), id -> bodyTimedOut());
        }

        void enter() {
            stopTimer();
            admission.enter(inference);
            entered.set(true);
        }

        private void stopTimer() {
            long id = timer;
            if (id != NONE) {
                timer = NONE;
                context.vertx().cancelTimer(id);
            }
        }

        /** 408, and the connection closed: the rest of the body is never read. */
        private void bodyTimedOut() {
            if (timer == NONE || context.response().ended()) {
                return;
            }
            timer = NONE;
            ServingException late = admission.bodyTimedOut();
            rejections.rejected("request body timeout (REST)", late.getMessage());
            HttpServerResponse response = context.response();
            if (!response.headWritten()) {
                end(response.putHeader(HttpHeaders.CONNECTION, "close"), late);
            }
            if (context.request().version() == HttpVersion.HTTP_2) {
                response.reset(); // this stream only: the connection carries others
            } else {
                context.request().connection().close(); // after the 408, written first
            }
        }

        void exit() {
            stopTimer();
            if (entered.compareAndSet(true, false)) {
                admission.exit();
            }
        }
    }
}
