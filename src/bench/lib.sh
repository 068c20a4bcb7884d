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

# TLS=DIR (optional, e.g. as a prefix of one call): start_server serves TLS on both ports from DIR/server.crt and
# DIR/server.key, checking client certificates against DIR/ca.crt, required on gRPC with TLS_CLIENT_AUTH=required
# (default none); run_ghz then calls over TLS trusting DIR/ca.crt, presenting DIR/client.crt (and .key) when
# TLS_CLIENT_AUTH=required. The server's certificate must name 127.0.0.1.
tls_server_flags() {
    [[ -n ${TLS:-} ]] || return 0
    echo "-Dquarkus.tls.bench.key-store.pem.0.cert=$TLS/server.crt -Dquarkus.tls.bench.key-store.pem.0.key=$TLS/server.key"
    echo "-Dquarkus.tls.bench.trust-store.pem.certs=$TLS/ca.crt -Dquarkus.http.tls-configuration-name=bench"
    echo "-Dquarkus.http.insecure-requests=disabled -Dquarkus.grpc.server.ssl.client-auth=${TLS_CLIENT_AUTH:-none}"
}
tls_client_flags() {  # ghz's
    if [[ -z ${TLS:-} ]]; then echo --insecure; return; fi
    echo "--cacert=$TLS/ca.crt"
    [[ ${TLS_CLIENT_AUTH:-none} != required ]] || echo "--cert=$TLS/client.crt --key=$TLS/client.key"
}

# start_server NAME PLUGIN_CONFIG [PREFIX...]: serves $SERVER_MODEL (default resnet, from target/models)
# with the build in $SERVER_APP (default target/quarkus-app) on free loopback ports (with $TLS: over TLS), waits
# for readiness; sets $grpc_port, $http_port (health, metrics), $server_pid and $nireq (the server's infer
# requests). PREFIX runs the JVM (taskset).
start_server() {
    local name=$1 plugin_config=$2 log=$out/server-$1.log model=${SERVER_MODEL:-resnet} deadline pid
    local ready=http://127.0.0.1 curl_tls=()
    shift 2
    read -r grpc_port http_port <<<"$(free_ports 2)"
    [[ -z ${TLS:-} ]] || { ready=https://127.0.0.1 curl_tls=(--cacert "$TLS/ca.crt"); }
    log "server $name: model $model, plugin config $plugin_config, gRPC 127.0.0.1:$grpc_port${TLS:+ over TLS (client certificates: ${TLS_CLIENT_AUTH:-none})}${1:+, run by: $*}"
    # shellcheck disable=SC2086,SC2046 # the JVM options are word lists on purpose
    "$@" java $SERVER_JAVA_OPTS $(tls_server_flags) \
        -Dovserve.model-name="$model" -Dovserve.model-path="target/models/$model" \
        -Dovserve.plugin-config="$plugin_config" ${NIREQ:+-Dovserve.nireq=$NIREQ} \
        -Dquarkus.grpc.server.host=127.0.0.1 -Dquarkus.grpc.server.port="$grpc_port" \
        -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$http_port" \
        -jar "${SERVER_APP:-target/quarkus-app}/quarkus-run.jar" >"$log" 2>&1 &
    pid=$!
    server_pids+=("$pid")
    server_pid=$pid
    deadline=$((SECONDS + READY_TIMEOUT))
    until curl -sf "${curl_tls[@]}" -o /dev/null "$ready:$http_port/q/health/ready"; do
        kill -0 "$pid" 2>/dev/null || { tail -n 30 "$log" >&2; die "server $name exited; log: $log"; }
        ((SECONDS < deadline)) || die "server $name was not ready after ${READY_TIMEOUT}s; log: $log"
        sleep 0.5
    done
    nireq=$(sed -n "s/.*model $model version [0-9]* available: \([0-9]* streams, \)\{0,1\}\([0-9]*\) infer requests.*/\2/p" "$log" | tail -n 1)
    [[ -n $nireq ]] || die "no 'model $model version N available: K infer requests' line in $log"
}

# The test classes and their dependencies: the classpath of src/test/java/io/ovserve/bench. Maven's
# answer is cached in target/ until pom.xml changes.
test_classpath() {
    local cached=target/test-classpath.txt
    [[ -d target/test-classes/io/ovserve/bench ]] \
        || die "target/test-classes is missing: run ./mvnw package -DskipTests (it compiles the tests)"
    if [[ ! -s $cached || pom.xml -nt $cached ]]; then
        ./mvnw -B -o -q dependency:build-classpath -Dmdep.outputFile="$cached" >"$out/classpath.log" 2>&1 \
            || { tail -n 20 "$out/classpath.log" >&2; die "mvn dependency:build-classpath failed; log: $out/classpath.log"; }
    fi
    echo "target/test-classes:target/classes:$(cat "$cached")"
}

# The API the load generators call (run_ghz, run_loadgen, write_request): API=tfs (TensorFlow Serving's
# Predict, the default), API=kserve (KServe v2's ModelInfer) or API=rest (KServe v2's infer over HTTP, the
# binary data extension as Triton's HTTP client sends it; loadgen only, on the HTTP port).
API=${API:-tfs}
case $API in
    tfs) api_proto=tensorflow_serving/apis/prediction_service.proto api_call=tensorflow.serving.PredictionService/Predict
         api_request_flag=() ;;
    kserve) api_proto=kserve/grpc_predict_v2.proto api_call=inference.GRPCInferenceService/ModelInfer
            api_request_flag=(--kserve) ;;
    rest) api_proto="" api_call="" api_request_flag=(--kserve-rest) ;;
    *) die "API must be tfs, kserve or rest, got '$API'" ;;
esac

# write_request FILE MODEL INPUT DIM... (or @IMAGE_FILE): one serialized request of $API for the load generators.
write_request() {
    local classpath
    classpath=$(test_classpath)
    java -cp "$classpath" io.ovserve.bench.PredictRequestFile "${api_request_flag[@]}" "$@" || die "could not write $1"
}

# write_resnet_request FILE: the request benchmark.sh and overload.sh send ResNet-50: with IMAGES=file.jpg,
# the seed's (that JPEG as a binary input); else an f32 [1,3,224,224] tensor.
write_resnet_request() {
    if [[ -n ${IMAGES:-} ]]; then
        [[ -f $IMAGES ]] || die "IMAGES=$IMAGES is not a file"
        write_request "$1" resnet 0 "@$(realpath "$IMAGES")"
    else
        write_request "$1" resnet 0 1 3 224 224
    fi
}

# start_plain_server NAME: grpc-java alone answering Predict with affine's reply, no inference
# (io.ovserve.bench.PlainPredictServer), with the servers' JVM flags; sets $grpc_port and $server_pid.
start_plain_server() {
    local log=$out/server-$1.log classpath deadline
    classpath=$(test_classpath)
    grpc_port=$(free_ports 1)
    log "server $1: plain grpc-java, no inference, gRPC 127.0.0.1:$grpc_port"
    # shellcheck disable=SC2086 # the JVM options are a word list on purpose
    java $SERVER_JAVA_OPTS -cp "$classpath" io.ovserve.bench.PlainPredictServer "$grpc_port" >"$log" 2>&1 &
    server_pid=$!
    server_pids+=("$server_pid")
    deadline=$((SECONDS + READY_TIMEOUT))
    until grep -qs '^plain Predict server listening' "$log"; do
        kill -0 "$server_pid" 2>/dev/null || { tail -n 30 "$log" >&2; die "server $1 exited; log: $log"; }
        ((SECONDS < deadline)) || die "server $1 was not listening after ${READY_TIMEOUT}s; log: $log"
        sleep 0.2
    done
}

# ghz, the external load generator (Go): $GHZ, else on the PATH, else where `go install` puts it.
GHZ_VERSION=v0.120.0
require_ghz() {
    ghz=${GHZ:-$(command -v ghz || echo "$HOME/go/bin/ghz")}
    [[ -x $ghz ]] || die "no ghz: GOBIN=\$HOME/go/bin go install github.com/bojand/ghz/cmd/ghz@$GHZ_VERSION (or set GHZ)"
}
# ensure_ghz: require_ghz, after installing ghz into $HOME/go/bin with go install when there is none.
ensure_ghz() {
    if [[ -z ${GHZ:-} ]] && ! command -v ghz >/dev/null && [[ ! -x $HOME/go/bin/ghz ]]; then
        command -v go >/dev/null || die "no ghz, and no go to install it with (or set GHZ)"
        log "installing ghz $GHZ_VERSION into $HOME/go/bin"
        GOBIN=$HOME/go/bin go install "github.com/bojand/ghz/cmd/ghz@$GHZ_VERSION" >"$out/ghz-install.log" 2>&1 \
            || { tail -n 20 "$out/ghz-install.log" >&2; die "go install ghz failed; log: $out/ghz-install.log"; }
    fi
    require_ghz
}

# What runs the load generators (run_ghz, run_loadgen): e.g. (taskset -c 1) to give them cores of their own.
generator_prefix=()

# run_ghz NAME PORT REQUEST_FILE FLAG...: ghz sends the request file ($API's call) to 127.0.0.1:PORT
# (plaintext, or over TLS with $TLS; protos from src/main/proto); FLAG says how many calls (--duration, --total)
# and how. Prints "ok_calls_per_s ok_calls other_calls mean_latency_ms"; the report stays in $out/ghz-NAME.json.
run_ghz() {
    local name=$1 port=$2 request=$3 report=$out/ghz-$1.json
    shift 3
    rm -f "$report"  # a report left by an earlier run must not pass for this one's
    # shellcheck disable=SC2046 # the TLS flags are a word list on purpose
    "${generator_prefix[@]}" "$ghz" $(tls_client_flags) --proto="src/main/proto/$api_proto" \
        --import-paths=src/main/proto --call="$api_call" \
        --binary-file="$request" --format=json --output="$report" "$@" "127.0.0.1:$port" \
        >"$out/ghz-$name.err" 2>&1 || { tail -n 20 "$out/ghz-$name.err" >&2; die "ghz $name failed"; }
    report_summary "$report"
}

# loadgen (src/bench/loadgen, Go): sends the request file's bytes as they are, ghz's flags and report;
# built into target/loadgen on first use (go fetches grpc-go through the module proxy once).
ensure_loadgen() {
    loadgen=target/loadgen/loadgen
    if [[ ! -x $loadgen || -n $(find src/bench/loadgen -newer "$loadgen" -type f) ]]; then
        command -v go >/dev/null || die "no go to build src/bench/loadgen with"
        log "building $loadgen"
        mkdir -p target/loadgen
        (cd src/bench/loadgen && go build -o ../../../$loadgen .) >"$out/loadgen-build.log" 2>&1 \
            || { tail -n 20 "$out/loadgen-build.log" >&2; die "go build src/bench/loadgen failed; log: $out/loadgen-build.log"; }
    fi
}

# run_loadgen NAME PORT REQUEST_FILE FLAG...: as run_ghz, with loadgen (API=rest: PORT is the HTTP port); the
# report in $out/loadgen-NAME.json.
run_loadgen() {
    local name=$1 port=$2 request=$3 report=$out/loadgen-$1.json call=(--call="$api_call")
    shift 3
    rm -f "$report"  # a report left by an earlier run must not pass for this one's
    if [[ $API == rest ]]; then  # the path and header PredictRequestFile wrote beside the body
        call=(--http --call="$(sed -n 1p "$request.http")" --header="$(sed -n 2p "$request.http")")
    fi
    "${generator_prefix[@]}" "$loadgen" "${call[@]}" --binary-file="$request" --output="$report" \
        "$@" "127.0.0.1:$port" >"$out/loadgen-$name.err" 2>&1 \
        || { tail -n 20 "$out/loadgen-$name.err" >&2; die "loadgen $name failed"; }
    report_summary "$report"
}

# report_summary FILE: "ok_calls_per_s ok_calls other_calls mean_latency_ms" from a ghz-shaped report.
report_summary() {
    "$python" -c 'import json, sys
report = json.load(open(sys.argv[1]))
codes = report.get("statusCodeDistribution") or {}
ok = codes.get("OK", 0)
print("%.2f %d %d %.3f" % (ok / (report["total"] / 1e9), ok, sum(codes.values()) - ok, report["average"] / 1e6))' "$1"
}

# run_client NAME SECONDS CALLS_IN_FLIGHT FLAG...: the client mode on resnet; prints its fps.
# Each client process first warms up for CLIENT_WARMUP_SECONDS (default 5; its JIT, its connections),
# left out of its report; a --warmup flag overrides it. The report stays in $out/client-NAME.*.
CLIENT_WARMUP_SECONDS=${CLIENT_WARMUP_SECONDS:-5}
run_client() {
    local name=$1 seconds=$2 parallel=$3 fps warmup=()
    shift 3
    ((CLIENT_WARMUP_SECONDS == 0)) || warmup=(--warmup="$CLIENT_WARMUP_SECONDS")
    # shellcheck disable=SC2086 # the JVM options are a word list on purpose
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
# minus the ticks of our own finished children (cutime+cstime of this shell) and of the running
# processes listed in $phase_pids (e.g. a server that lives across several phases; default none).
busy_ticks() { awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
# pid_ticks PID: the CPU ticks (utime+stime) a running process has used, its threads included (the
# fields after the command name, which may hold spaces); 0 for a process that is gone (or PID 0).
pid_ticks() { { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null || true; } | awk '{ print $12 + $13 } END { if (!NR) print 0 }'; }
phase_pids=
own_ticks() {
    local pid ticks
    ticks=$(awk '{ print $16 + $17 }' "/proc/$$/stat")
    for pid in $phase_pids; do
        ticks=$((ticks + $(pid_ticks "$pid")))
    done
    echo "$ticks"
}
phase_start() { read -r busy0 total0 < <(busy_ticks); own0=$(own_ticks); server0=$(pid_ticks "${server_pid:-0}"); }
# phase_end NAME: sets $others, the share of the machine (percent) other processes used since
# phase_start; $server_cpu, the share the running $server_pid used; $rest_cpu, the share everything
# else used (the load generator, the script, the kernel's threads)
phase_end() {
    local busy1 total1 own1 server1
    read -r busy1 total1 < <(busy_ticks); own1=$(own_ticks); server1=$(pid_ticks "${server_pid:-0}")
    others=$(awk -v b=$((busy1 - busy0)) -v o=$((own1 - own0)) -v t=$((total1 - total0)) \
        'BEGIN { x = t > 0 ? 100 * (b - o) / t : 0; printf "%.0f\n", x < 0 ? 0 : x }')
    read -r server_cpu rest_cpu <<<"$(awk -v b=$((busy1 - busy0)) -v s=$((server1 - server0)) -v t=$((total1 - total0)) \
        'BEGIN { if (t > 0) printf "%.1f %.1f\n", 100 * s / t, 100 * (b - s) / t; else print "NA NA" }')"
    ((others <= 5)) || log "WARNING: other processes used $others% of the CPU during $1: its number is skewed"
}
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
machine() {
    local cpu
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ) nproc=$(nproc) cpu=\"$cpu\""
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a / b }'; }

# The server process as the kernel and the JVM see it, for the stress scripts (overload.sh, soak.sh).
# process_status PID: prints "rss_kb threads" (/proc/PID/status: VmRSS, Threads: native threads included).
process_status() { awk '/^VmRSS:/ { rss = $2 } /^Threads:/ { threads = $2 } END { print rss, threads }' "/proc/$1/status"; }
# heap_used HTTP_PORT: the server's heap in use, bytes (the sum of jvm_memory_used_bytes{area="heap"} of /q/metrics).
heap_used() {
    curl -sf --max-time 5 "http://127.0.0.1:$1/q/metrics" \
        | awk '/^jvm_memory_used_bytes\{area="heap"/ { s += $NF; n++ } END { if (n) printf "%.0f\n", s; else print "NA" }'
}
# start_sampler PID HTTP_PORT SECONDS FILE: in the background (one Python process, no fork per sample),
# every SECONDS appends "elapsed_s rss_kb threads heap_used_bytes" to FILE (heap NA when /q/metrics does
# not answer within 2 s); sets $sampler_pid. It ends with the process, or with stop_sampler.
sampler_pid=
start_sampler() {
    "$python" -c 'import sys, time, urllib.request
pid, port, every, path = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
start = time.monotonic()
with open(path, "w") as out:
    out.write("elapsed_s rss_kb threads heap_used_bytes\n")
    n = 0
    while True:
        try:
            status = dict(line.split(":", 1) for line in open("/proc/%s/status" % pid) if ":" in line)
        except OSError:
            break
        rss, threads = status["VmRSS"].split()[0], status["Threads"].strip()
        heap = "NA"
        try:
            used = [float(line.rsplit(" ", 1)[1]) for line in urllib.request.urlopen(
                "http://127.0.0.1:%s/q/metrics" % port, timeout=2).read().decode().splitlines()
                if line.startswith("jvm_memory_used_bytes{area=\"heap\"")]
            heap = "%.0f" % sum(used) if used else "NA"
        except Exception:
            pass
        out.write("%.1f %s %s %s\n" % (time.monotonic() - start, rss, threads, heap))
        out.flush()
        n += 1
        time.sleep(max(0, start + n * every - time.monotonic()))' "$@" &
    sampler_pid=$!
}
stop_sampler() {
    [[ -n $sampler_pid ]] || return 0
    kill -TERM "$sampler_pid" 2>/dev/null || true
    wait "$sampler_pid" 2>/dev/null || true
    sampler_pid=
}
# series FILE COLUMN: "start max end" of one column of a start_sampler file (NA samples left out).
series() {
    awk -v c="$2" 'NR > 1 && $c != "NA" { if (!n++) first = $c; if ($c + 0 > max) max = $c + 0; last = $c }
        END { if (n) printf "%.0f %.0f %.0f\n", first, max, last; else print "NA NA NA" }' "$1"
}
mib() { awk -v b="$1" -v unit="${2:-1}" 'BEGIN { if (b == "NA") print "NA"; else printf "%.1f\n", b * unit / 1048576 }'; }
