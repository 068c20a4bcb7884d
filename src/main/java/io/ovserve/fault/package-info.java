/**
 * Fault injection into Predict calls, off by default: a switch for tests of clients (retries,
 * balancing across replicas), named after Istio's HTTP fault injection (VirtualService
 * {@code fault.delay.fixedDelay}/{@code percentage}, {@code fault.abort.grpcStatus}/{@code percentage}).
 *
 * <table>
 * <caption>Properties ({@code -D...}, {@code application.properties}, or env {@code OVSERVE_FAULT_...})</caption>
 * <tr><th>property</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code ovserve.fault.delay.fixed-delay}</td><td>{@code 0} (off)</td>
 * <td>delay added before a call reaches inference, e.g. {@code 200ms}, {@code 1s}</td></tr>
 * <tr><td>{@code ovserve.fault.delay.percentage}</td><td>{@code 100}</td>
 * <td>share of calls delayed, 0 to 100</td></tr>
 * <tr><td>{@code ovserve.fault.abort.grpc-status}</td><td>unset (off)</td>
 * <td>gRPC code aborted calls fail with, message {@code fault injected: abort}: {@code UNAVAILABLE},
 * {@code RESOURCE_EXHAUSTED}, {@code DEADLINE_EXCEEDED}, {@code ABORTED} or {@code INTERNAL}</td></tr>
 * <tr><td>{@code ovserve.fault.abort.percentage}</td><td>{@code 100}</td>
 * <td>share of calls aborted, 0 to 100</td></tr>
 * </table>
 *
 * <p>Each call is chosen at random with the configured percentage, independently for delay and
 * abort. When both hit, the call is delayed, then aborted (as Envoy does). A delayed call blocks no
 * thread: it waits on one timer thread, then goes through the usual path (model lookup, validation,
 * the bounded queue). Aborts are counted in the metrics as {@code FAULT_INJECTED_<code>}.
 * Only Predict is affected; metadata, status and health are not. A percentage outside 0–100, a
 * negative delay or an unknown code fails start-up; when any fault is on, start-up logs one WARN
 * line naming it.
 *
 * <p>Example, a slow replica: {@code -Dovserve.fault.delay.fixed-delay=200ms -Dovserve.fault.delay.percentage=50}.
 */
package io.ovserve.fault;
