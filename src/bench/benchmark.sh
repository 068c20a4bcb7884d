#!/usr/bin/env bash
# ovserve against OpenVINO's own benchmark_app, on the same machine, in one run.
#
#   ./mvnw package -DskipTests && bash src/bench/benchmark.sh      (or: ./mvnw -Pbenchmark verify -DskipTests)
#
# 1. starts the packaged server (target/quarkus-app) on free loopback ports with the hint/streams below,
# 2. drives it over gRPC with io.ovserve.bench.LoadGenerator (CONCURRENCY calls in flight),
# 3. stops it, then runs benchmark_app from the same OpenVINO wheel on the same model.xml with the
#    same hint, streams and number of infer requests (-api async),
# 4. prints both throughputs and served / benchmark_app.
# The two phases run one after the other, never together: on a small machine they would share the cores.
#
# Environment (all optional):
#   HINT=THROUGHPUT|LATENCY   NUM_STREAMS=n   NIREQ=n (default: the server's OPTIMAL_NUMBER_OF_INFER_REQUESTS)
#   CONCURRENCY=n (default 2 x nireq)   WARMUP_SECONDS=10   MEASURE_SECONDS=30
#   SERVER_JAVA_OPTS, CLIENT_JAVA_OPTS   extra JVM flags (defaults below)
#   READY_TIMEOUT=180                     seconds to wait for the server's readiness
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
HINT=${HINT:-THROUGHPUT}
NUM_STREAMS=${NUM_STREAMS:-}
NIREQ=${NIREQ:-}
CONCURRENCY=${CONCURRENCY:-}
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
MEASURE_SECONDS=${MEASURE_SECONDS:-30}
READY_TIMEOUT=${READY_TIMEOUT:-180}
MODEL_XML=target/models/resnet/1/model.xml
# The server is what we measure: fixed heap so no resizing happens mid-run; defaults otherwise.
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xms512m -Xmx512m}
# The client shares the cores with the server: small heap, serial GC, C1 only, no JIT background storm.
CLIENT_JAVA_OPTS=${CLIENT_JAVA_OPTS:--Xms128m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1}

die() { echo "benchmark: ERROR: $*" >&2; exit 1; }
log() { echo "benchmark: $*" >&2; }

[[ -f target/quarkus-app/quarkus-run.jar ]] || die "target/quarkus-app is missing: run ./mvnw package -DskipTests first"
[[ -f $MODEL_XML ]] || die "$MODEL_XML is missing: run ./mvnw package -DskipTests first"
[[ $HINT =~ ^(THROUGHPUT|LATENCY)$ ]] || die "HINT must be THROUGHPUT or LATENCY, got '$HINT'"
for n in NUM_STREAMS NIREQ CONCURRENCY; do
    [[ -z ${!n} || ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer, got '${!n}'"
done
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

# Two free loopback ports, chosen by the kernel.
read -r grpc_port http_port < <("$python" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')

plugin_config="{\"PERFORMANCE_HINT\":\"$HINT\"${NUM_STREAMS:+,\"NUM_STREAMS\":\"$NUM_STREAMS\"}}"
warn_if_busy() {  # a busy machine makes either side look slow: say so next to the numbers
    local load; load=$(cut -d' ' -f1 /proc/loadavg)
    awk -v l="$load" 'BEGIN { exit !(l > 0.5) }' && log "WARNING: load average is $load before $1: other processes compete for the CPU"
    return 0
}

# --- 1. the server -----------------------------------------------------------------------------
warn_if_busy "starting the server"
log "server: plugin config $plugin_config${NIREQ:+, nireq $NIREQ}, gRPC 127.0.0.1:$grpc_port"
# shellcheck disable=SC2086 # the JVM options are a word list on purpose
java $SERVER_JAVA_OPTS \
    -Dovserve.plugin-config="$plugin_config" ${NIREQ:+-Dovserve.nireq=$NIREQ} \
    -Dquarkus.grpc.server.host=127.0.0.1 -Dquarkus.grpc.server.port="$grpc_port" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$http_port" \
    -jar target/quarkus-app/quarkus-run.jar >"$out/server.log" 2>&1 &
server_pid=$!
deadline=$((SECONDS + READY_TIMEOUT))
until curl -sf -o /dev/null "http://127.0.0.1:$http_port/q/health/ready"; do
    kill -0 "$server_pid" 2>/dev/null || { tail -n 30 "$out/server.log" >&2; die "the server exited; log: $out/server.log"; }
    ((SECONDS < deadline)) || die "the server was not ready after ${READY_TIMEOUT}s; log: $out/server.log"
    sleep 0.5
done
nireq=$(sed -n 's/.*model resnet version [0-9]* available: \([0-9]*\) infer requests.*/\1/p' "$out/server.log" | tail -n 1)
[[ -n $nireq ]] || die "no 'model resnet version N available: K infer requests' line in $out/server.log"
concurrency=${CONCURRENCY:-$((2 * nireq))}

# --- 2. load over gRPC -------------------------------------------------------------------------
log "client: $concurrency calls in flight, ${WARMUP_SECONDS}s warm-up, ${MEASURE_SECONDS}s measured (server nireq $nireq)"
# shellcheck disable=SC2086
timeout $((WARMUP_SECONDS + MEASURE_SECONDS + 90)) java $CLIENT_JAVA_OPTS \
    -cp 'target/quarkus-app/app/*:target/quarkus-app/lib/main/*:target/quarkus-app/lib/boot/*' io.ovserve.bench.LoadGenerator \
    --host 127.0.0.1 --port "$grpc_port" --model resnet --input 0 --shape 1,3,224,224 \
    --concurrency "$concurrency" --warmup-seconds "$WARMUP_SECONDS" --seconds "$MEASURE_SECONDS" \
    | tee "$out/loadgen.out" || die "the load generator failed (exit ${PIPESTATUS[0]}); server log: $out/server.log"
served=$(sed -n 's/^served_fps=\([0-9.]*\) .*/\1/p' "$out/loadgen.out")
[[ -n $served ]] || die "no served_fps line from the load generator"
stop_server

# --- 3. benchmark_app, same wheel, same settings -----------------------------------------------
warn_if_busy "benchmark_app"
hint_lower=$(tr '[:upper:]' '[:lower:]' <<<"$HINT")
log "benchmark_app: -hint $hint_lower${NUM_STREAMS:+ -nstreams $NUM_STREAMS} -nireq $nireq -t $MEASURE_SECONDS"
timeout $((MEASURE_SECONDS + 180)) "$benchmark_app" -m "$MODEL_XML" -d CPU -api async \
    -hint "$hint_lower" ${NUM_STREAMS:+-nstreams "$NUM_STREAMS"} -nireq "$nireq" -t "$MEASURE_SECONDS" \
    >"$out/benchmark_app.log" 2>&1 || { tail -n 30 "$out/benchmark_app.log" >&2; die "benchmark_app failed"; }
reference=$(sed -n 's/.*Throughput: *\([0-9.]*\) FPS.*/\1/p' "$out/benchmark_app.log" | tail -n 1)
[[ -n $reference ]] || die "no 'Throughput:' line in $out/benchmark_app.log"
streams=$(sed -n 's/.*NUM_STREAMS: *\([0-9]*\).*/\1/p' "$out/benchmark_app.log" | head -n 1)

# --- 4. the result -----------------------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) nproc=$(nproc) cpu=\"$cpu\""
echo "hint=$HINT streams=${streams:-?} nireq=$nireq concurrency=$concurrency warmup_s=$WARMUP_SECONDS measured_s=$MEASURE_SECONDS"
echo "served_fps=$served"
echo "benchmark_app_fps=$reference"
awk -v s="$served" -v r="$reference" 'BEGIN { printf "ratio=%.3f\n", s / r }'
