#!/usr/bin/env bash
# The per-request overhead, in one run on this machine (after ./mvnw package -DskipTests):
#
#   bash src/bench/overhead-benchmark.sh
#
# ovserve on a model whose inference costs microseconds (the generated affine: input "x" f32 [1,4],
# output "y") against grpc-java alone answering the same Predict without inference (the transport's
# limit: io.ovserve.bench.PlainPredictServer in the test classes, Netty as under ovserve's gRPC server,
# replying with the very message ovserve replies). Both get SERVER_JAVA_OPTS and free 127.0.0.1 ports.
# The same external load generator drives both: ghz (Go), CONCURRENCY callers over CONNECTIONS HTTP/2
# connections, the same serialized PredictRequest. Each round runs both servers one after the other
# (never together: they would share the cores), in alternating order; each server is started fresh,
# warmed up by ghz for WARMUP_SECONDS, measured for MEASURE_SECONDS, stopped. Result: the medians of
# the OK calls/s, the ratio ovserve/plain (goal >= 0.8), and the calls that were not OK (must be none).
#
# CONNECTIONS defaults to 4: one connection would serialize each server on one event loop, one per
# caller would leave HTTP/2 nothing to multiplex.
# PLUGIN_CONFIG defaults to the configuration a microsecond model is served with: the LATENCY hint
# (one stream, one infer request) without CPU pinning. THROUGHPUT's two streams and two infer
# requests only add OpenVINO's own thread hand-offs to an inference that costs microseconds
# (measured: 0.66-0.70 of the plain server with THROUGHPUT), and with pinning OpenVINO sets the
# calling thread's affinity around every inference (sched_setaffinity in perf; 9,693-10,097 calls/s
# with it, 10,706-11,284 without). Both are OpenVINO's overhead, not ovserve's.
# Environment (all optional): CONCURRENCY=16, CONNECTIONS=4, WARMUP_SECONDS=15, MEASURE_SECONDS=20,
#   ROUNDS=3, PLUGIN_CONFIG='{"PERFORMANCE_HINT":"LATENCY","ENABLE_CPU_PINNING":"NO"}' (ovserve's), GHZ,
#   SERVER_JAVA_OPTS, READY_TIMEOUT (see src/bench/lib.sh).
#   BASELINE_APP: another build's target/quarkus-app (a worktree of an earlier commit); each round then
#   also serves the same model from it, and the result adds the ratio ovserve/baseline of this run.
# Needs ghz: GOBIN=$HOME/go/bin go install github.com/bojand/ghz/cmd/ghz@v0.120.0
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
CONCURRENCY=${CONCURRENCY:-16}
CONNECTIONS=${CONNECTIONS:-4}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
MEASURE_SECONDS=${MEASURE_SECONDS:-20}
ROUNDS=${ROUNDS:-3}
PLUGIN_CONFIG=${PLUGIN_CONFIG:-'{"PERFORMANCE_HINT":"LATENCY","ENABLE_CPU_PINNING":"NO"}'}
out=target/overhead-benchmark
# shellcheck source=src/bench/lib.sh
source src/bench/lib.sh
for n in CONCURRENCY CONNECTIONS WARMUP_SECONDS MEASURE_SECONDS ROUNDS; do
    [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer, got '${!n}'"
done
((CONCURRENCY % CONNECTIONS == 0)) || die "CONCURRENCY must be a multiple of CONNECTIONS (ghz spreads callers evenly)"
require_ghz
request=$out/request-affine.bin
write_request "$request" affine x 1 4

phase() {  # SERVER ROUND: appends OK calls/s to $out/SERVER.txt, other calls to $out/SERVER-errors.txt
    local server=$1 round=$2 load warmup measured rate ok errors latency warmup_errors
    load=(--concurrency="$CONCURRENCY" --connections="$CONNECTIONS" --duration-stop=ignore)
    phase_start
    if [[ $server == plain ]]; then
        start_plain_server "plain-$round"
    elif [[ $server == baseline ]]; then
        SERVER_APP=$BASELINE_APP SERVER_MODEL=affine start_server "baseline-$round" "$PLUGIN_CONFIG"
    else
        SERVER_MODEL=affine start_server "ovserve-$round" "$PLUGIN_CONFIG"
    fi
    warmup=$(run_ghz "$server-$round-warmup" "$grpc_port" "$request" "${load[@]}" --duration="${WARMUP_SECONDS}s")
    measured=$(run_ghz "$server-$round" "$grpc_port" "$request" "${load[@]}" --duration="${MEASURE_SECONDS}s")
    stop_servers
    read -r _ _ warmup_errors _ <<<"$warmup"
    read -r rate ok errors latency <<<"$measured"
    phase_end "$server round $round"
    echo "round $round $server: calls_per_s=$rate ok=$ok not_ok=$errors mean_latency_ms=$latency warmup_not_ok=$warmup_errors others_cpu_pct=$others" >&2
    echo "$rate" >>"$out/$server.txt"
    echo "$((errors + warmup_errors))" >>"$out/$server-errors.txt"
}

if [[ -n ${BASELINE_APP:-} ]]; then
    [[ -f $BASELINE_APP/quarkus-run.jar ]] || die "BASELINE_APP=$BASELINE_APP has no quarkus-run.jar"
fi
rm -f "$out"/{plain,ovserve,baseline}{,-errors}.txt
for ((round = 1; round <= ROUNDS; round++)); do
    if ((round % 2)); then phase plain "$round"; phase ovserve "$round"; else phase ovserve "$round"; phase plain "$round"; fi
    [[ -z ${BASELINE_APP:-} ]] || phase baseline "$round"
done

plain=$(median <"$out/plain.txt")
ovserve=$(median <"$out/ovserve.txt")
sum() { awk '{ s += $1 } END { print s }' "$1"; }
plain_errors=$(sum "$out/plain-errors.txt")
ovserve_errors=$(sum "$out/ovserve-errors.txt")
machine
echo "model=affine concurrency=$CONCURRENCY connections=$CONNECTIONS warmup_s=$WARMUP_SECONDS measured_s=$MEASURE_SECONDS rounds=$ROUNDS plugin_config=$PLUGIN_CONFIG server_java_opts=\"$SERVER_JAVA_OPTS\" load_generator=ghz"
echo "plain_calls_per_s=$plain (median of: $(paste -sd' ' "$out/plain.txt")) not_ok_calls=$plain_errors"
echo "ovserve_calls_per_s=$ovserve (median of: $(paste -sd' ' "$out/ovserve.txt")) not_ok_calls=$ovserve_errors"
echo "ratio ovserve/plain=$(ratio "$ovserve" "$plain") (goal >= 0.8)"
if [[ -n ${BASELINE_APP:-} ]]; then
    baseline=$(median <"$out/baseline.txt")
    echo "baseline_calls_per_s=$baseline (median of: $(paste -sd' ' "$out/baseline.txt")) app=$BASELINE_APP"
    echo "ratio ovserve/baseline=$(ratio "$ovserve" "$baseline") baseline/plain=$(ratio "$baseline" "$plain")"
fi
((plain_errors == 0 && ovserve_errors == 0)) || die "some calls were not OK: see $out/ghz-*.json (statusCodeDistribution, errorDistribution)"
