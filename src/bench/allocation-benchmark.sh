#!/usr/bin/env bash
# Heap allocated per Predict in the ovserve server (after ./mvnw package -DskipTests):
#
#   bash src/bench/allocation-benchmark.sh
#
# For each model of MODELS, one after the other: resnet (input "0" f32 [1,3,224,224], what real calls
# cost) and affine (input "x" f32 [1,4]: the fixed cost of a call, whatever the tensors); with
# IMAGES=file.jpg also jpeg (resnet fed that JPEG as a binary input, the seed's request):
#   1. start the packaged server on it (SERVER_JAVA_OPTS, free 127.0.0.1 ports), warm it up with ghz
#      for WARMUP_SECONDS;
#   2. start a JFR recording in the server (jcmd) of jdk.ThreadAllocationStatistics alone, which JFR
#      takes at the start and at the end of the recording: each thread's cumulative allocated bytes
#      (inside and outside TLABs, exact, not sampled);
#   3. send exactly CALLS Predict calls with ghz (CONCURRENCY callers, one connection), stop the recording;
#   4. bytes per request = the growth of every thread's counter (from 0 for a thread born meanwhile),
#      summed, over the OK calls. The threads of the measurement itself (jcmd's Attach Listener, JFR's)
#      are left out; a thread that ended meanwhile takes its bytes with it: the script says if one did.
# It prints bytes/request per model and the threads that allocate most; the per-thread table stays in
# $out/threads-MODEL.txt.
#
# Environment (all optional): MODELS="resnet affine" ("resnet affine jpeg" with IMAGES), IMAGES, CALLS=2000, CONCURRENCY=4, WARMUP_SECONDS=20,
#   PLUGIN_CONFIG='{"PERFORMANCE_HINT":"THROUGHPUT"}', GHZ (the ghz binary), SERVER_JAVA_OPTS,
#   READY_TIMEOUT (see src/bench/lib.sh).
# Needs ghz: GOBIN=$HOME/go/bin go install github.com/bojand/ghz/cmd/ghz@v0.120.0
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
MODELS=${MODELS:-resnet affine${IMAGES:+ jpeg}}
CALLS=${CALLS:-2000}
CONCURRENCY=${CONCURRENCY:-4}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
PLUGIN_CONFIG=${PLUGIN_CONFIG:-'{"PERFORMANCE_HINT":"THROUGHPUT"}'}
out=$PWD/target/allocation-benchmark  # absolute: the server's jcmd writes the recording there
# shellcheck source=src/bench/lib.sh
source src/bench/lib.sh
for n in CALLS CONCURRENCY WARMUP_SECONDS; do
    [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer, got '${!n}'"
done
require_ghz
cat >"$out/allocation.jfc" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="allocated bytes per thread">
  <event name="jdk.ThreadAllocationStatistics">
    <setting name="enabled">true</setting>
    <setting name="period">everyChunk</setting>
  </event>
</configuration>
EOF

# allocated_per_thread RECORDING CALLS: per thread "bytes_per_request name", most first, then "total".
allocated_per_thread() {
    jfr print --json --events jdk.ThreadAllocationStatistics "$1" | "$python" -c 'import datetime, json, sys
calls = int(sys.argv[1])
samples = {}
for event in json.load(sys.stdin)["recording"]["events"]:
    values = event["values"]
    thread = values["thread"]
    samples.setdefault((thread["javaThreadId"], thread["javaName"]), []).append(
        (datetime.datetime.fromisoformat(values["startTime"]), values["allocated"]))
times = [time for taken in samples.values() for time, _ in taken]
middle = min(times) + (max(times) - min(times)) / 2  # between the start samples and the end samples
grown, ended = {}, []
for (_, name), taken in samples.items():
    if name == "Attach Listener" or name.startswith("JFR "):
        continue
    taken.sort()
    if taken[-1][0] < middle:
        ended.append(name)
        continue
    born_meanwhile = taken[0][0] > middle
    grown[name] = grown.get(name, 0) + taken[-1][1] - (0 if born_meanwhile else taken[0][1])
for name, allocated in sorted(grown.items(), key=lambda item: -item[1]):
    if allocated:
        print("%.0f %s" % (allocated / calls, name))
print("%.0f total" % (sum(grown.values()) / calls))
if ended:
    print("WARNING: threads ended during the recording, their bytes are missing: " + ", ".join(ended), file=sys.stderr)' "$2"
}

measure() {  # NAME MODEL INPUT DIM...: prints the result line of NAME (the model, or the model fed images)
    local model=$1 request=$out/request-$1.bin warmup measured ok errors threads
    shift
    write_request "$request" "$@"
    SERVER_MODEL=$1 start_server "$model" "$PLUGIN_CONFIG"
    warmup=$(run_ghz "$model-warmup" "$grpc_port" "$request" --concurrency="$CONCURRENCY" --connections=1 \
        --duration="${WARMUP_SECONDS}s" --duration-stop=ignore)
    jcmd "$server_pid" JFR.start name=allocation settings="$out/allocation.jfc" >"$out/jcmd-$model.log" 2>&1 \
        || die "jcmd JFR.start failed; log: $out/jcmd-$model.log"
    measured=$(run_ghz "$model" "$grpc_port" "$request" --concurrency="$CONCURRENCY" --connections=1 --total="$CALLS")
    jcmd "$server_pid" JFR.stop name=allocation filename="$out/allocation-$model.jfr" >>"$out/jcmd-$model.log" 2>&1 \
        || die "jcmd JFR.stop failed; log: $out/jcmd-$model.log"
    stop_servers
    read -r _ ok errors _ <<<"$measured"
    ((ok > 0)) || die "$model: no call was OK; see $out/ghz-$model.json"
    threads=$(allocated_per_thread "$out/allocation-$model.jfr" "$ok")
    echo "$threads" >"$out/threads-$model.txt"
    echo "$model: bytes_per_request=$(awk '$2 == "total" { print $1 }' <<<"$threads") ok_calls=$ok not_ok_calls=$errors" \
        "warmup_not_ok_calls=$(cut -d' ' -f3 <<<"$warmup") request_bytes=$(stat -c %s "$request")" \
        "top_threads_bytes_per_request: $(grep -v ' total$' <<<"$threads" | head -n 3 \
            | awk '{ name = $0; sub(/^[^ ]* /, "", name); printf "%s%s=%s", (NR > 1 ? ", " : ""), name, $1 }')"
}

machine
echo "calls=$CALLS concurrency=$CONCURRENCY connections=1 warmup_s=$WARMUP_SECONDS plugin_config=$PLUGIN_CONFIG server_java_opts=\"$SERVER_JAVA_OPTS\" load_generator=ghz"
for model in $MODELS; do
    case $model in
        resnet) measure resnet resnet 0 1 3 224 224 ;;
        affine) measure affine affine x 1 4 ;;
        jpeg)
            [[ -f ${IMAGES:-} ]] || die "MODELS: jpeg needs IMAGES=file.jpg"
            measure jpeg resnet 0 "@$(realpath "$IMAGES")" ;;
        *) die "MODELS: unknown model '$model' (resnet, affine, jpeg)" ;;
    esac
done
