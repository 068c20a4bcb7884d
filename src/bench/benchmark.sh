#!/usr/bin/env bash
# ovserve against OpenVINO's own benchmark_app, on the same machine, in one run.
#
#   ./mvnw package -DskipTests && bash src/bench/benchmark.sh      (or: ./mvnw -Pbenchmark verify -DskipTests)
#
# Each round has two phases, run one after the other (never together: they would share the cores):
#   served     start the packaged server (target/quarkus-app) on free loopback ports with the hint/streams
#              below, drive it over gRPC with io.ovserve.bench.LoadGenerator (CONCURRENCY calls in
#              flight; WARMUP_SECONDS, then MEASURE_SECONDS counted), stop it;
#   reference  benchmark_app from the same OpenVINO wheel, same model.xml, same hint, streams and
#              number of infer requests, -api async, for MEASURE_SECONDS.
# Rounds alternate the order of the phases and the result is the median of each side: on a shared
# (virtual) machine a single pair of runs swings by +-10% with what the neighbours do.
# Each phase also reports the share of the CPU that other processes (or the hypervisor) took.
#
# Environment (all optional):
#   HINT=THROUGHPUT|LATENCY   NUM_STREAMS=n   NIREQ=n (default: the server's OPTIMAL_NUMBER_OF_INFER_REQUESTS)
#   CONCURRENCY=n (default 2 x nireq)   WARMUP_SECONDS=30   MEASURE_SECONDS=30   ROUNDS=3
#   SERVER_JAVA_OPTS, CLIENT_JAVA_OPTS   JVM flags (defaults below)
#   READY_TIMEOUT=180                     seconds to wait for the server's readiness
#   IMAGES=file.jpg                       send this encoded image (DT_STRING, binary input) instead of
#                                         f32 tensors: the server then decodes too, benchmark_app does not
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
HINT=${HINT:-THROUGHPUT}
NUM_STREAMS=${NUM_STREAMS:-}
NIREQ=${NIREQ:-}
CONCURRENCY=${CONCURRENCY:-}
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
MEASURE_SECONDS=${MEASURE_SECONDS:-30}
ROUNDS=${ROUNDS:-3}
READY_TIMEOUT=${READY_TIMEOUT:-180}
MODEL_XML=target/models/resnet/1/model.xml
# The server is what we measure: fixed heap so no resizing happens mid-run; defaults otherwise.
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xms512m -Xmx512m}
# The client shares the cores with the server: small heap, serial GC, C1 only (little JIT work).
CLIENT_JAVA_OPTS=${CLIENT_JAVA_OPTS:--Xms128m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1}

die() { echo "benchmark: ERROR: $*" >&2; exit 1; }
log() { echo "benchmark: $*" >&2; }

[[ -f target/quarkus-app/quarkus-run.jar ]] || die "target/quarkus-app is missing: run ./mvnw package -DskipTests first"
[[ -f $MODEL_XML ]] || die "$MODEL_XML is missing: run ./mvnw package -DskipTests first"
[[ $HINT =~ ^(THROUGHPUT|LATENCY)$ ]] || die "HINT must be THROUGHPUT or LATENCY, got '$HINT'"
for n in NUM_STREAMS NIREQ CONCURRENCY ROUNDS MEASURE_SECONDS; do
    [[ -z ${!n} || ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer, got '${!n}'"
done
[[ -z ${IMAGES:-} || -f ${IMAGES:-} ]] || die "IMAGES=$IMAGES is not a file"
[[ $WARMUP_SECONDS =~ ^[0-9]+$ ]] || die "WARMUP_SECONDS must be a number, got '$WARMUP_SECONDS'"
ov_root=$(bash native/openvino-runtime.sh | tail -n 1)
benchmark_app=$ov_root/venv/bin/benchmark_app
python=$ov_root/venv/bin/python
[[ -x $benchmark_app ]] || die "no benchmark_app in $ov_root/venv (re-run native/openvino-runtime.sh)"

out=target/benchmark
mkdir -p "$out"
server_pid=
stop_server() {
    [[ -n $server_pid ]] || return 0
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
}
trap stop_server EXIT
trap 'exit 130' INT TERM HUP

# Whether others used the CPU while we measured: machine-wide busy ticks (/proc/stat, steal included)
# minus the ticks of our own finished children (server, client, benchmark_app: cutime+cstime of this shell).
busy_ticks() { awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
own_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }
phase_start() { read -r busy0 total0 < <(busy_ticks); own0=$(own_ticks); }
phase_end() {  # sets $others: the share of the machine (percent) other processes used since phase_start
    local busy1 total1 own1
    read -r busy1 total1 < <(busy_ticks); own1=$(own_ticks)
    others=$(awk -v b=$((busy1 - busy0)) -v o=$((own1 - own0)) -v t=$((total1 - total0)) \
        'BEGIN { x = t > 0 ? 100 * (b - o) / t : 0; printf "%.0f\n", x < 0 ? 0 : x }')
    ((others <= 5)) || log "WARNING: other processes used $others% of the CPU during $1: its number is skewed"
}
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

plugin_config="{\"PERFORMANCE_HINT\":\"$HINT\"${NUM_STREAMS:+,\"NUM_STREAMS\":\"$NUM_STREAMS\"}}"
nireq=$NIREQ
concurrency=$CONCURRENCY

served_phase() {  # round number; appends to served.txt
    local log=$out/server-$1.log ports grpc_port http_port deadline
    # Two free loopback ports, chosen by the kernel.
    ports=$("$python" -c 'import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')
    read -r grpc_port http_port <<<"$ports"
    phase_start
    log "round $1 served: plugin config $plugin_config${NIREQ:+, nireq $NIREQ}, gRPC 127.0.0.1:$grpc_port"
    # shellcheck disable=SC2086 # the JVM options are a word list on purpose
    java $SERVER_JAVA_OPTS \
        -Dovserve.plugin-config="$plugin_config" ${NIREQ:+-Dovserve.nireq=$NIREQ} \
        -Dquarkus.grpc.server.host=127.0.0.1 -Dquarkus.grpc.server.port="$grpc_port" \
        -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$http_port" \
        -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
    server_pid=$!
    deadline=$((SECONDS + READY_TIMEOUT))
    until curl -sf -o /dev/null "http://127.0.0.1:$http_port/q/health/ready"; do
        kill -0 "$server_pid" 2>/dev/null || { tail -n 30 "$log" >&2; die "the server exited; log: $log"; }
        ((SECONDS < deadline)) || die "the server was not ready after ${READY_TIMEOUT}s; log: $log"
        sleep 0.5
    done
    nireq=$(sed -n 's/.*model resnet version [0-9]* available: \([0-9]*\) infer requests.*/\1/p' "$log" | tail -n 1)
    [[ -n $nireq ]] || die "no 'model resnet version N available: K infer requests' line in $log"
    concurrency=${CONCURRENCY:-$((2 * nireq))}
    log "round $1 served: $concurrency calls in flight, ${WARMUP_SECONDS}s warm-up, ${MEASURE_SECONDS}s measured, nireq $nireq"
    # shellcheck disable=SC2086
    timeout $((WARMUP_SECONDS + MEASURE_SECONDS + 90)) java $CLIENT_JAVA_OPTS \
        -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/main/*:target/quarkus-app/lib/boot/*' \
        io.ovserve.bench.LoadGenerator --host 127.0.0.1 --port "$grpc_port" --model resnet --input 0 \
        --shape 1,3,224,224 --concurrency "$concurrency" --warmup-seconds "$WARMUP_SECONDS" \
        --seconds "$MEASURE_SECONDS" ${IMAGES:+--images "$IMAGES"} >"$out/loadgen-$1.out" \
        || die "the load generator failed (exit $?); server log: $log"
    stop_server
    phase_end "served round $1"
    echo "round $1 $(cat "$out/loadgen-$1.out") others_cpu_pct=$others" >&2
    sed -n 's/^served_fps=\([0-9.]*\) .*/\1/p' "$out/loadgen-$1.out" >>"$out/served.txt"
}

reference_phase() {  # round number; appends to reference.txt
    local log=$out/benchmark_app-$1.log hint_lower fps
    hint_lower=$(tr '[:upper:]' '[:lower:]' <<<"$HINT")
    phase_start
    log "round $1 benchmark_app: -hint $hint_lower${NUM_STREAMS:+ -nstreams $NUM_STREAMS} -nireq $nireq -t $MEASURE_SECONDS"
    timeout $((MEASURE_SECONDS + 180)) "$benchmark_app" -m "$MODEL_XML" -d CPU -api async \
        -hint "$hint_lower" ${NUM_STREAMS:+-nstreams "$NUM_STREAMS"} -nireq "$nireq" -t "$MEASURE_SECONDS" \
        >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "benchmark_app failed; log: $log"; }
    phase_end "benchmark_app round $1"
    fps=$(sed -n 's/.*Throughput: *\([0-9.]*\) FPS.*/\1/p' "$log" | tail -n 1)
    [[ -n $fps ]] || die "no 'Throughput:' line in $log"
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
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) nproc=$(nproc) cpu=\"$cpu\""
echo "hint=$HINT streams=${streams:-?} nireq=$nireq concurrency=$concurrency warmup_s=$WARMUP_SECONDS measured_s=$MEASURE_SECONDS rounds=$ROUNDS"
echo "served_fps=$served (median of: $(paste -sd' ' "$out/served.txt"))"
echo "benchmark_app_fps=$reference (median of: $(paste -sd' ' "$out/reference.txt"))"
awk -v s="$served" -v r="$reference" 'BEGIN { printf "ratio=%.3f\n", s / r }'
