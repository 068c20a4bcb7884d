#!/usr/bin/env bash
# The balancing client on ResNet-50, in one run on this machine (after ./mvnw package -DskipTests):
#
#   bash src/bench/client-benchmark.sh          (or: ./mvnw -Pclient-benchmark verify -DskipTests)
#
# 1. Overhead: one server; the client mode through one plain channel (--grpc_address) and through the
#    balancing client (--targets, one target), CONCURRENCY calls in flight, rounds alternating the
#    two, medians compared. Goal: the balancing client costs at most 3%.
# 2. The seed's effect, with pinned cores as the kubelet's static CPU manager gives them:
#    - ceiling: two benchmark_app processes at once, one pinned to each core (taskset), fps added;
#    - two server replicas, one pinned to each core, driven by the client (unpinned):
#        1 replica  the client on one replica only (the other idles),
#        L4         one plain channel through a connection balancer (what a Kubernetes Service gives:
#                   kube-proxy picks a replica per connection, and gRPC keeps one connection),
#        L7         the balancing client over both replicas, a replica chosen per call.
#    Goals: L7 >= 0.9 x the two pinned benchmark_app processes, L7 >= 1.7 x L4.
#
# Each server is first warmed up for WARMUP_SECONDS; each measured client process then warms up for
# CLIENT_WARMUP_SECONDS (5) before its MEASURE_SECONDS are counted.
# Environment (all optional): CONCURRENCY=4 (calls in flight), WARMUP_SECONDS=20, MEASURE_SECONDS=30,
#   ROUNDS=3 (overhead rounds per side), LOAD_BALANCER=round-robin (for L7), PARTS="overhead pinned",
#   PINNED_SERVER_JAVA_OPTS (the one-core replicas' JVM flags, default below),
#   SERVER_JAVA_OPTS, CLIENT_JAVA_OPTS, READY_TIMEOUT (see src/bench/lib.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
CONCURRENCY=${CONCURRENCY:-4}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
MEASURE_SECONDS=${MEASURE_SECONDS:-30}
ROUNDS=${ROUNDS:-3}
LOAD_BALANCER=${LOAD_BALANCER:-round-robin}
PARTS=${PARTS:-overhead pinned}
# One-core replicas run as README advises for pods of 2 CPUs or fewer: C1 only, so the JIT does not take
# the core from inference (measured here: one pinned replica 23.2 fps with C2, 24.4 with C1 only).
PINNED_SERVER_JAVA_OPTS=${PINNED_SERVER_JAVA_OPTS:--Xms512m -Xmx512m -XX:TieredStopAtLevel=1}
out=target/client-benchmark
# shellcheck source=src/bench/lib.sh
source src/bench/lib.sh
[[ -f target/test-classes/io/ovserve/client/support/ConnectionBalancer.class ]] \
    || die "target/test-classes is missing: run ./mvnw package -DskipTests (it compiles the tests)"
(($(nproc) >= 2)) || die "the pinned part needs two cores"
throughput='{"PERFORMANCE_HINT":"THROUGHPUT"}'
proxy_pid=
stop_all() { [[ -z $proxy_pid ]] || kill "$proxy_pid" 2>/dev/null || true; stop_servers; }
trap stop_all EXIT

direct() {  # round: one plain channel to the single server
    run_client "direct-$1" "$MEASURE_SECONDS" "$CONCURRENCY" --grpc_address=127.0.0.1 --grpc_port="$grpc_port" \
        >>"$out/direct.txt"
}

balanced() {  # round: the balancing client, the single server as its one target
    run_client "balanced-$1" "$MEASURE_SECONDS" "$CONCURRENCY" --targets="127.0.0.1:$grpc_port" \
        --load_balancer="$LOAD_BALANCER" >>"$out/balanced.txt"
}

overhead() {
    local direct_fps balanced_fps
    start_server single "$throughput"
    log "overhead: $CONCURRENCY calls in flight, ${WARMUP_SECONDS}s warm-up, $ROUNDS x ${MEASURE_SECONDS}s per side"
    run_client overhead-warmup "$WARMUP_SECONDS" "$CONCURRENCY" --targets="127.0.0.1:$grpc_port" >/dev/null
    rm -f "$out/direct.txt" "$out/balanced.txt"
    for ((round = 1; round <= ROUNDS; round++)); do
        if ((round % 2)); then direct "$round"; balanced "$round"; else balanced "$round"; direct "$round"; fi
        log "round $round: direct $(tail -n 1 "$out/direct.txt") fps, balanced $(tail -n 1 "$out/balanced.txt") fps"
    done
    stop_servers
    direct_fps=$(median <"$out/direct.txt")
    balanced_fps=$(median <"$out/balanced.txt")
    echo "overhead: direct_fps=$direct_fps (median of: $(paste -sd' ' "$out/direct.txt")) balanced_fps=$balanced_fps (median of: $(paste -sd' ' "$out/balanced.txt"))"
    echo "overhead: balanced/direct=$(ratio "$balanced_fps" "$direct_fps") overhead_pct=$(awk -v b="$balanced_fps" -v d="$direct_fps" 'BEGIN { printf "%.1f\n", 100 * (1 - b / d) }')"
}

pinned() {
    # 2a. ceiling: benchmark_app pinned, one process per core, at once
    log "ceiling: benchmark_app on core 0 and on core 1 at once, ${MEASURE_SECONDS}s"
    benchmark_app_fps "$out/benchmark_app-core0.log" "$MEASURE_SECONDS" taskset -c 0 -- -hint throughput >"$out/core0.txt" &
    core0=$!
    benchmark_app_fps "$out/benchmark_app-core1.log" "$MEASURE_SECONDS" taskset -c 1 -- -hint throughput >"$out/core1.txt" &
    core1=$!
    wait "$core0" "$core1" || die "benchmark_app failed"
    ceiling_fps=$(awk '{ s += $1 } END { printf "%.2f\n", s }' "$out/core0.txt" "$out/core1.txt")

    # 2b. two pinned replicas
    SERVER_JAVA_OPTS=$PINNED_SERVER_JAVA_OPTS start_server pinned-core0 "$throughput" taskset -c 0
    replica0=127.0.0.1:$grpc_port
    SERVER_JAVA_OPTS=$PINNED_SERVER_JAVA_OPTS start_server pinned-core1 "$throughput" taskset -c 1
    replica1=127.0.0.1:$grpc_port
    java -cp target/test-classes io.ovserve.client.support.ConnectionBalancer "$replica0,$replica1" >"$out/l4-port.txt" &
    proxy_pid=$!
    for _ in $(seq 50); do [[ -s $out/l4-port.txt ]] && break; sleep 0.2; done
    l4_port=$(head -n 1 "$out/l4-port.txt")
    [[ -n $l4_port ]] || die "the connection balancer did not start"
    log "pinned: replicas $replica0 (core 0), $replica1 (core 1), L4 balancer on 127.0.0.1:$l4_port, nireq $nireq each"
    run_client pinned-warmup "$WARMUP_SECONDS" "$CONCURRENCY" --targets="$replica0,$replica1" >/dev/null
    one_fps=$(run_client one-replica "$MEASURE_SECONDS" "$CONCURRENCY" --grpc_address=127.0.0.1 --grpc_port="${replica0##*:}")
    l4_fps=$(run_client l4 "$MEASURE_SECONDS" "$CONCURRENCY" --grpc_address=127.0.0.1 --grpc_port="$l4_port")
    l7_fps=$(run_client l7 "$MEASURE_SECONDS" "$CONCURRENCY" --targets="$replica0,$replica1" --load_balancer="$LOAD_BALANCER")
    stop_all
    echo "pinned: benchmark_app_core0+core1_fps=$ceiling_fps ($(cat "$out/core0.txt") + $(cat "$out/core1.txt"))"
    echo "pinned: one_replica_fps=$one_fps l4_fps=$l4_fps l7_fps=$l7_fps"
    echo "pinned: l4 per replica $(sed -n 's/.*"per_replica":\({[^}]*}\).*/\1/p' "$out/client-l4.json") (the client sees only the balancer's address)"
    echo "pinned: l7 per replica $(sed -n 's/.*"per_replica":\({[^}]*}\).*/\1/p' "$out/client-l7.json")"
    echo "pinned: l7/benchmark_app=$(ratio "$l7_fps" "$ceiling_fps") l7/l4=$(ratio "$l7_fps" "$l4_fps") l4/one_replica=$(ratio "$l4_fps" "$one_fps") l7/one_replica=$(ratio "$l7_fps" "$one_fps")"
}

machine
echo "concurrency=$CONCURRENCY warmup_s=$WARMUP_SECONDS measured_s=$MEASURE_SECONDS rounds=$ROUNDS load_balancer=$LOAD_BALANCER server_java_opts=\"$SERVER_JAVA_OPTS\" pinned_server_java_opts=\"$PINNED_SERVER_JAVA_OPTS\""
for part in $PARTS; do
    [[ $part =~ ^(overhead|pinned)$ ]] || die "PARTS: unknown part '$part' (overhead, pinned)"
    "$part"
done
