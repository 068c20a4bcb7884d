# Shared by the benchmark scripts (sourced, not run): servers, the client mode, CPU accounting.
# Expects: $out (output folder). Sets: $ov_root, $benchmark_app, $python.

die() { echo "benchmark: ERROR: $*" >&2; exit 1; }
log() { echo "benchmark: $*" >&2; }

READY_TIMEOUT=${READY_TIMEOUT:-180}
# The servers are what we measure: fixed heap so no resizing happens mid-run; defaults otherwise.
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xms512m -Xmx512m}
# The client shares the cores with the servers: small heap, serial GC, C1 only (little JIT work).
CLIENT_JAVA_OPTS=${CLIENT_JAVA_OPTS:--Xms128m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1}
MODEL_XML=target/models/resnet/1/model.xml

[[ -f target/quarkus-app/quarkus-run.jar ]] || die "target/quarkus-app is missing: run ./mvnw package -DskipTests first"
[[ -f $MODEL_XML ]] || die "$MODEL_XML is missing: run ./mvnw package -DskipTests first"
ov_root=$(bash native/openvino-runtime.sh | tail -n 1)
benchmark_app=$ov_root/venv/bin/benchmark_app
python=$ov_root/venv/bin/python
[[ -x $benchmark_app ]] || die "no benchmark_app in $ov_root/venv (re-run native/openvino-runtime.sh)"
mkdir -p "$out"

server_pids=()
stop_servers() {
    local pid
    for pid in "${server_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${server_pids[@]}"; do
        for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    server_pids=()
}
trap stop_servers EXIT
trap 'exit 130' INT TERM HUP

free_ports() {  # count: prints that many free loopback ports, chosen by the kernel
    "$python" -c 'import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))' "$1"
}

# start_server NAME PLUGIN_CONFIG [PREFIX...]: serves resnet on free loopback ports, waits for
# readiness; sets $grpc_port and $nireq (the server's infer requests). PREFIX runs the JVM (taskset).
start_server() {
    local name=$1 plugin_config=$2 log=$out/server-$1.log http_port deadline pid
    shift 2
    read -r grpc_port http_port <<<"$(free_ports 2)"
    log "server $name: plugin config $plugin_config, gRPC 127.0.0.1:$grpc_port${1:+, run by: $*}"
    # shellcheck disable=SC2086 # the JVM options are a word list on purpose
    "$@" java $SERVER_JAVA_OPTS \
        -Dovserve.plugin-config="$plugin_config" ${NIREQ:+-Dovserve.nireq=$NIREQ} \
        -Dquarkus.grpc.server.host=127.0.0.1 -Dquarkus.grpc.server.port="$grpc_port" \
        -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$http_port" \
        -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
    pid=$!
    server_pids+=("$pid")
    deadline=$((SECONDS + READY_TIMEOUT))
    until curl -sf -o /dev/null "http://127.0.0.1:$http_port/q/health/ready"; do
        kill -0 "$pid" 2>/dev/null || { tail -n 30 "$log" >&2; die "server $name exited; log: $log"; }
        ((SECONDS < deadline)) || die "server $name was not ready after ${READY_TIMEOUT}s; log: $log"
        sleep 0.5
    done
    nireq=$(sed -n 's/.*model resnet version [0-9]* available: \([0-9]*\) infer requests.*/\1/p' "$log" | tail -n 1)
    [[ -n $nireq ]] || die "no 'model resnet version N available: K infer requests' line in $log"
}

# run_client NAME SECONDS CALLS_IN_FLIGHT FLAG...: the client mode on resnet; prints its fps.
# Each client process first warms up for CLIENT_WARMUP_SECONDS (default 5; its JIT, its connections),
# left out of its report; a --warmup flag overrides it. The report stays in $out/client-NAME.*.
CLIENT_WARMUP_SECONDS=${CLIENT_WARMUP_SECONDS:-5}
run_client() {
    local name=$1 seconds=$2 parallel=$3 fps warmup=()
    shift 3
    ((CLIENT_WARMUP_SECONDS == 0)) || warmup=(--warmup="$CLIENT_WARMUP_SECONDS")
    # shellcheck disable=SC2086
    timeout $((seconds + 300)) java $CLIENT_JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar client \
        --model_name=resnet --input_name=0 --output_name=1463 --max_parallel_requests="$parallel" \
        --duration="$seconds" --json="$out/client-$name.json" "${warmup[@]}" "$@" \
        >"$out/client-$name.txt" 2>"$out/client-$name.err" \
        || { tail -n 5 "$out/client-$name.err" >&2; die "client $name failed (exit $?)"; }
    fps=$(sed -n 's/.*"fps":\([0-9.]*\).*/\1/p' "$out/client-$name.json")
    [[ -n $fps ]] || die "no fps in $out/client-$name.json"
    echo "$fps"
}

# benchmark_app_fps LOG SECONDS [PREFIX...] -- ARGS...: runs benchmark_app, prints its throughput.
benchmark_app_fps() {
    local log=$1 seconds=$2 prefix=() fps
    shift 2
    while [[ $1 != -- ]]; do prefix+=("$1"); shift; done
    shift
    timeout $((seconds + 180)) "${prefix[@]}" "$benchmark_app" -m "$MODEL_XML" -d CPU -api async -t "$seconds" "$@" \
        >"$log" 2>&1 || { tail -n 30 "$log" >&2; die "benchmark_app failed; log: $log"; }
    fps=$(sed -n 's/.*Throughput: *\([0-9.]*\) FPS.*/\1/p' "$log" | tail -n 1)
    [[ -n $fps ]] || die "no 'Throughput:' line in $log"
    echo "$fps"
}

# Whether others used the CPU while we measured: machine-wide busy ticks (/proc/stat, steal included)
# minus the ticks of our own finished children (cutime+cstime of this shell).
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
machine() {
    local cpu
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) nproc=$(nproc) cpu=\"$cpu\""
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a / b }'; }
