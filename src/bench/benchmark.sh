#!/usr/bin/env bash
# ovserve against OpenVINO's own benchmark_app, on the same machine, in one run.
#
#   ./mvnw package -DskipTests && bash src/bench/benchmark.sh      (or: ./mvnw -Pbenchmark verify -DskipTests)
#
# Each round has two phases, run one after the other (never together: they would share the cores):
#   served     start the packaged server (target/quarkus-app) on free loopback ports with the hint/streams
#              below, drive it over gRPC with the client mode (one plain channel, CONCURRENCY calls in
#              flight; WARMUP_SECONDS, then MEASURE_SECONDS counted) or a Go load generator
#              (LOAD_GENERATOR), stop it;
#   reference  benchmark_app from the same OpenVINO wheel, same model.xml, same hint, streams and
#              number of infer requests, -api async, for MEASURE_SECONDS.
# Rounds alternate the order of the phases and the result is the median of each side: on a shared
# (virtual) machine a single pair of runs swings by +-10% with what the neighbours do.
# Each phase also reports the share of the CPU that other processes (or the hypervisor) took.
#
# Environment (all optional):
#   HINT=THROUGHPUT|LATENCY   NUM_STREAMS=n   NIREQ=n (default: the server's OPTIMAL_NUMBER_OF_INFER_REQUESTS)
#   CONCURRENCY=n (default 2 x nireq)   WARMUP_SECONDS=30   MEASURE_SECONDS=30   ROUNDS=3
#   SERVER_JAVA_OPTS, CLIENT_JAVA_OPTS   JVM flags (defaults in src/bench/lib.sh)
#   READY_TIMEOUT=180                     seconds to wait for the server's readiness
#   IMAGES=file.jpg                       send this encoded image (DT_STRING, binary input) instead of
#                                         f32 tensors: the server then decodes too, benchmark_app does not
#   LOAD_GENERATOR=client|loadgen|ghz     what drives the served phase: the client mode (default:
#                                         ovserve's own client, a JVM), loadgen (src/bench/loadgen, Go: the
#                                         request's bytes sent as they are, the lightest) or ghz (Go,
#                                         external; installed when missing, as by overload.sh), the last two
#                                         sending the same request over one connection. Each shares the
#                                         cores with the server: the lighter one leaves it more of them.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
HINT=${HINT:-THROUGHPUT}
NUM_STREAMS=${NUM_STREAMS:-}
NIREQ=${NIREQ:-}
CONCURRENCY=${CONCURRENCY:-}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
MEASURE_SECONDS=${MEASURE_SECONDS:-30}
ROUNDS=${ROUNDS:-3}
out=target/benchmark
# shellcheck source=src/bench/lib.sh
source src/bench/lib.sh

[[ $HINT =~ ^(THROUGHPUT|LATENCY)$ ]] || die "HINT must be THROUGHPUT or LATENCY, got '$HINT'"
for n in NUM_STREAMS NIREQ CONCURRENCY ROUNDS MEASURE_SECONDS; do
    [[ -z ${!n} || ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer, got '${!n}'"
done
[[ -z ${IMAGES:-} || -f ${IMAGES:-} ]] || die "IMAGES=$IMAGES is not a file"
[[ $WARMUP_SECONDS =~ ^[0-9]+$ ]] || die "WARMUP_SECONDS must be a number, got '$WARMUP_SECONDS'"
LOAD_GENERATOR=${LOAD_GENERATOR:-client}
[[ $LOAD_GENERATOR =~ ^(client|loadgen|ghz)$ ]] || die "LOAD_GENERATOR must be client, loadgen or ghz, got '$LOAD_GENERATOR'"
images=()
if [[ -n ${IMAGES:-} ]]; then
    realpath "$IMAGES" >"$out/images.txt"
    images=(--images_list="$out/images.txt")
fi

if [[ $LOAD_GENERATOR != client ]]; then  # as the client mode: an f32 tensor, or the encoded image
    if [[ $LOAD_GENERATOR == ghz ]]; then ensure_ghz; else ensure_loadgen; fi
    request=$out/request-resnet.bin
    write_resnet_request "$request"
fi

plugin_config="{\"PERFORMANCE_HINT\":\"$HINT\"${NUM_STREAMS:+,\"NUM_STREAMS\":\"$NUM_STREAMS\"}}"
nireq=$NIREQ
concurrency=$CONCURRENCY

served_phase() {  # round number; appends to served.txt
    local fps latency
    phase_start
    start_server "round-$1" "$plugin_config"
    concurrency=${CONCURRENCY:-$((2 * nireq))}
    log "round $1 served: $concurrency calls in flight, ${WARMUP_SECONDS}s warm-up, ${MEASURE_SECONDS}s measured, nireq $nireq"
    if [[ $LOAD_GENERATOR != client ]]; then
        local measured not_ok run=run_$LOAD_GENERATOR stop=()
        [[ $LOAD_GENERATOR == ghz ]] && stop=(--duration-stop=ignore)  # loadgen waits for the calls in flight
        ((WARMUP_SECONDS == 0)) || $run "served-$1-warmup" "$grpc_port" "$request" --concurrency="$concurrency" \
            --connections=1 --duration="${WARMUP_SECONDS}s" "${stop[@]}" >/dev/null
        measured=$($run "served-$1" "$grpc_port" "$request" --concurrency="$concurrency" \
            --connections=1 --duration="${MEASURE_SECONDS}s" "${stop[@]}")
        read -r fps _ not_ok latency <<<"$measured"
        ((not_ok == 0)) || die "round $1: $not_ok calls were not OK; see $out/$LOAD_GENERATOR-served-$1.json"
        latency="mean $latency"
    else
        fps=$(CLIENT_WARMUP_SECONDS=$WARMUP_SECONDS run_client "served-$1" "$MEASURE_SECONDS" "$concurrency" \
            --grpc_address=127.0.0.1 --grpc_port="$grpc_port" "${images[@]}")
        latency=$(sed -n 's/^Latency ms: //p' "$out/client-served-$1.txt")
    fi
    stop_servers
    phase_end "served round $1"
    echo "round $1 served_fps=$fps latency_ms: $latency others_cpu_pct=$others" >&2
    echo "$fps" >>"$out/served.txt"
}

reference_phase() {  # round number; appends to reference.txt
    local hint_lower fps
    hint_lower=$(tr '[:upper:]' '[:lower:]' <<<"$HINT")
    phase_start
    log "round $1 benchmark_app: -hint $hint_lower${NUM_STREAMS:+ -nstreams $NUM_STREAMS} -nireq $nireq -t $MEASURE_SECONDS"
    fps=$(benchmark_app_fps "$out/benchmark_app-$1.log" "$MEASURE_SECONDS" -- \
        -hint "$hint_lower" ${NUM_STREAMS:+-nstreams "$NUM_STREAMS"} -nireq "$nireq")
    phase_end "benchmark_app round $1"
    echo "round $1 benchmark_app_fps=$fps others_cpu_pct=$others" >&2
    echo "$fps" >>"$out/reference.txt"
}

rm -f "$out/served.txt" "$out/reference.txt"
for ((round = 1; round <= ROUNDS; round++)); do
    # The first round serves first (it learns nireq from the server); then the order alternates.
    if ((round % 2)) || [[ -z $nireq ]]; then
        served_phase "$round"; reference_phase "$round"
    else
        reference_phase "$round"; served_phase "$round"
    fi
done

served=$(median <"$out/served.txt")
reference=$(median <"$out/reference.txt")
streams=$(sed -n 's/.*NUM_STREAMS: *\([0-9]*\).*/\1/p' "$out/benchmark_app-1.log" | head -n 1)
machine
echo "hint=$HINT streams=${streams:-?} nireq=$nireq concurrency=$concurrency warmup_s=$WARMUP_SECONDS measured_s=$MEASURE_SECONDS rounds=$ROUNDS load_generator=$LOAD_GENERATOR"
echo "served_fps=$served (median of: $(paste -sd' ' "$out/served.txt"))"
echo "benchmark_app_fps=$reference (median of: $(paste -sd' ' "$out/reference.txt"))"
echo "ratio=$(ratio "$served" "$reference")"
