package io.ovserve.tls;

import io.ovserve.api.rest.RestReplies;
import io.ovserve.inference.ServingException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses HTTP requests from clients not in {@code ovserve.tls.allowed-clients} with 403, from the request line,
 * before admission ({@link io.ovserve.api.rest.RestGate}) and before the body is read. The probes and the metrics
 * stay open ({@code /q/health/...}, {@code /q/metrics}): the kubelet's HTTPS probes and most Prometheus scrapes
 * present no client certificate, and these answer no model and take no input.
 */
@ApplicationScoped
public class RestAllowList {

    private final AllowedClients allowed;

    RestAllowList(AllowedClients allowed) {
        this.allowed = allowed;
    }

    void register(@Observes Router router) {
        if (allowed.enabled()) {
            router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT - 1).handler(this::check);
        }
    }

    private void check(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.equals("/q/health") || path.startsWith("/q/health/") || path.equals("/q/metrics")) {
            context.next();
            return;
        }
        try {
            allowed.checkRest(context.request().sslSession());
            context.next();
        } catch (ServingException refused) {
            context.response().setStatusCode(refused.status().httpStatus())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(Buffer.buffer(RestReplies.errorBody(refused)));
        }
    }
}
