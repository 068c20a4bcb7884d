#!/usr/bin/env bash
# Overload: what the server does when offered ten times what it can serve (after ./mvnw package -DskipTests):
#
#   bash src/bench/overload.sh                  # quick check: OVERLOAD_SECONDS=10 bash src/bench/overload.sh
#
# One server (the default ResNet-50, PLUGIN_CONFIG, SERVER_JAVA_OPTS plus -XX:+AlwaysPreTouch so that
# RSS does not grow merely as the heap is first touched, free 127.0.0.1 ports), driven by
# a Go load generator (a process of its own, not the server's JVM: src/bench/loadgen, which sends the file's
# bytes as they are, or ghz with LOAD_GENERATOR=ghz) with one serialized f32 [1,3,224,224] PredictRequest
# (or, with IMAGES=file.jpg, the seed's request: that JPEG as a binary input, decoded by the server):
#   1. warm-up: CAPACITY_CONCURRENCY callers for WARMUP_SECONDS (not counted);
#   2. capacity: CAPACITY_CONCURRENCY callers, one connection, CAPACITY_SECONDS: OK calls/s = capacity;
#   3. overload: --rps = LOAD_FACTOR x capacity (LOAD_FACTOR=0: unpaced, every caller sends again as soon as it
#      is answered, the storm of issue 19), CONCURRENCY callers over CONNECTIONS connections, for
#      OVERLOAD_SECONDS; calls still in flight at the end are waited for (--duration-stop=wait), so every
#      call sent has a status. Accepted calls/s = the OK calls that completed within OVERLOAD_SECONDS of
#      the first call, over OVERLOAD_SECONDS (what drains from the queue afterwards is not counted). Meanwhile the server's RSS, threads (/proc/PID/status) and heap in use
#      (/q/metrics) are sampled every SAMPLE_SECONDS.
# It prints capacity, offered and accepted calls/s, calls by status, latency by status (from the load
# generator's per-call details), heap/RSS/threads start/max/end, the share of the machine's CPU the server
# and everything else (the load generator above all) used in each phase, and a verdict per threshold of the issue:
#   accepted / capacity >= ACCEPTED_MIN (default 0.9: "accepted throughput ~ capacity");
#   p99 latency of a RESOURCE_EXHAUSTED < REJECT_P99_MS (default 5);
#   heap and RSS bounded: max over the second half of the overload at most BOUND_PCT (default 5) above
#     the max over the first half (a plateau, not a climb), plus the max itself;
#   no status other than OK and RESOURCE_EXHAUSTED.
# As information, accepted / capacity scaled by the server's CPU share in each phase: what the server
# made of the CPU it had, the part the load generator took on the shared cores left out.
# The exit status is 0 whether the verdicts pass or fail (they are printed); non-zero when the run broke.
#
# Environment (all optional): IMAGES=file.jpg, OVERLOAD_SECONDS=60, CAPACITY_SECONDS=20, WARMUP_SECONDS=10,
#   CAPACITY_CONCURRENCY=4, LOAD_FACTOR=10, CONCURRENCY=400, CONNECTIONS=8, CALL_TIMEOUT=30s (the load
#   generator's per-call deadline), SAMPLE_SECONDS=1, LOAD_GENERATOR=loadgen|ghz,
#   PLUGIN_CONFIG='{"PERFORMANCE_HINT":"THROUGHPUT"}', ACCEPTED_MIN=0.9, REJECT_P99_MS=5, BOUND_PCT=5,
#   API=tfs|kserve|rest (TensorFlow Serving's Predict or KServe v2's ModelInfer, FP32 or BYTES in raw_input_contents;
#   rest: KServe v2's infer over HTTP/1.1 in the binary data extension, a connection per caller, 503 counted as
#   RESOURCE_EXHAUSTED),
#   GHZ (the ghz binary), SERVER_JAVA_OPTS, READY_TIMEOUT (see src/bench/lib.sh), SERVER_CPUS and GENERATOR_CPUS
#   (both or neither: taskset CPU lists, e.g. SERVER_CPUS=0 GENERATOR_CPUS=1, so that the load generator does not
#   take CPU from the server; capacity is then what the server does on its CPUs).
# loadgen is built with go on first use; ghz is installed when missing: GOBIN=$HOME/go/bin go install
# github.com/bojand/ghz/cmd/ghz@v0.120.0
# Traffic goes to 127.0.0.1 only; the server is stopped at the end, whatever happens.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OVERLOAD_SECONDS=${OVERLOAD_SECONDS:-60}
CAPACITY_SECONDS=${CAPACITY_SECONDS:-20}
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
CAPACITY_CONCURRENCY=${CAPACITY_CONCURRENCY:-4}
LOAD_FACTOR=${LOAD_FACTOR:-10}
CONCURRENCY=${CONCURRENCY:-400}
CONNECTIONS=${CONNECTIONS:-8}
CALL_TIMEOUT=${CALL_TIMEOUT:-30s}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-1}
PLUGIN_CONFIG=${PLUGIN_CONFIG:-'{"PERFORMANCE_HINT":"THROUGHPUT"}'}
ACCEPTED_MIN=${ACCEPTED_MIN:-0.9}
REJECT_P99_MS=${REJECT_P99_MS:-5}
BOUND_PCT=${BOUND_PCT:-5}
LOAD_GENERATOR=${LOAD_GENERATOR:-loadgen}
out=target/overload
# shellcheck source=src/bench/lib.sh
source src/bench/lib.sh
[[ $LOAD_FACTOR =~ ^[0-9]+$ ]] || die "LOAD_FACTOR must be a number (0: unpaced), got '$LOAD_FACTOR'"
for n in OVERLOAD_SECONDS CAPACITY_SECONDS CAPACITY_CONCURRENCY CONCURRENCY CONNECTIONS SAMPLE_SECONDS; do
    [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer, got '${!n}'"
done
[[ $WARMUP_SECONDS =~ ^[0-9]+$ ]] || die "WARMUP_SECONDS must be a number, got '$WARMUP_SECONDS'"
[[ $LOAD_GENERATOR =~ ^(loadgen|ghz)$ ]] || die "LOAD_GENERATOR must be loadgen or ghz, got '$LOAD_GENERATOR'"
[[ $API != rest || $LOAD_GENERATOR == loadgen ]] || die "API=rest needs LOAD_GENERATOR=loadgen (ghz speaks gRPC only)"
SERVER_CPUS=${SERVER_CPUS:-}
GENERATOR_CPUS=${GENERATOR_CPUS:-}
[[ -z $SERVER_CPUS && -z $GENERATOR_CPUS || -n $SERVER_CPUS && -n $GENERATOR_CPUS ]] \
    || die "set both SERVER_CPUS and GENERATOR_CPUS, or neither"
server_prefix=()
if [[ -n $SERVER_CPUS ]]; then
    server_prefix=(taskset -c "$SERVER_CPUS")
    generator_prefix=(taskset -c "$GENERATOR_CPUS")
fi
((CONCURRENCY % CONNECTIONS == 0)) || die "CONCURRENCY must be a multiple of CONNECTIONS (callers are spread evenly)"
# The heap resident from the start: else RSS grows as the heap's pages are first touched, not bounded or not.
[[ $SERVER_JAVA_OPTS == *AlwaysPreTouch* ]] || SERVER_JAVA_OPTS+=" -XX:+AlwaysPreTouch"
trap 'stop_sampler; stop_servers' EXIT
cpu_shares() { echo "server_cpu_pct=$server_cpu load_generator_and_rest_cpu_pct=$rest_cpu"; }  # after a phase_end
"ensure_$LOAD_GENERATOR"
run_load() { "run_$LOAD_GENERATOR" "$@"; }  # NAME PORT REQUEST FLAG...: the report in $out/$LOAD_GENERATOR-NAME.json
request=$out/request-resnet.bin
write_resnet_request "$request"

start_server overload "$PLUGIN_CONFIG" "${server_prefix[@]}"
port=$grpc_port
[[ $API == rest ]] && port=$http_port
phase_pids=$server_pid  # the server lives across the phases: its CPU is ours, not the others'
read -r idle_rss idle_threads <<<"$(process_status "$server_pid")"
idle_heap=$(heap_used "$http_port")
if ((WARMUP_SECONDS > 0)); then
    log "warm-up: $CAPACITY_CONCURRENCY callers, ${WARMUP_SECONDS}s"
    run_load warmup "$port" "$request" --concurrency="$CAPACITY_CONCURRENCY" --connections=1 \
        --duration="${WARMUP_SECONDS}s" --duration-stop=wait --timeout="$CALL_TIMEOUT" >/dev/null
fi
log "capacity: $CAPACITY_CONCURRENCY callers, ${CAPACITY_SECONDS}s"
phase_start
read -r capacity capacity_ok capacity_not_ok _ <<<"$(run_load capacity "$port" "$request" \
    --concurrency="$CAPACITY_CONCURRENCY" --connections=1 --duration="${CAPACITY_SECONDS}s" --duration-stop=wait \
    --timeout="$CALL_TIMEOUT")"
phase_end capacity
capacity_others=$others
capacity_cpu=$(cpu_shares)
capacity_server_cpu=$server_cpu
awk -v c="$capacity" 'BEGIN { exit !(c > 0) }' || die "capacity is 0 calls/s: see $out/$LOAD_GENERATOR-capacity.json"
# --rps=0: unpaced (both load generators read it so)
rps=$(awk -v c="$capacity" -v f="$LOAD_FACTOR" 'BEGIN { r = int(c * f + 0.5); print f == 0 ? 0 : r < 1 ? 1 : r }')

log "overload: --rps=$rps ($LOAD_FACTOR x $capacity; 0: unpaced), $CONCURRENCY callers over $CONNECTIONS connections, ${OVERLOAD_SECONDS}s"
start_sampler "$server_pid" "$http_port" "$SAMPLE_SECONDS" "$out/samples.txt"
phase_start
run_load overload "$port" "$request" --rps="$rps" --concurrency="$CONCURRENCY" --connections="$CONNECTIONS" \
    --duration="${OVERLOAD_SECONDS}s" --duration-stop=wait --timeout="$CALL_TIMEOUT" >/dev/null
phase_end overload
overload_others=$others
overload_cpu=$(cpu_shares)
overload_server_cpu=$server_cpu
sleep "$SAMPLE_SECONDS"  # one sample after the last call
stop_sampler
kill -0 "$server_pid" 2>/dev/null || die "the server died during the overload; log: $out/server-overload.log"
stop_servers

# Calls by status and latency by status, from the per-call details (latency in ns).
report=$("$python" -c 'import datetime, json, sys
report, window = json.load(open(sys.argv[1])), float(sys.argv[2])
def started(stamp):  # RFC 3339 with nanoseconds, e.g. 2026-11-27T08:27:33.621032417Z
    whole, _, fraction = stamp.rstrip("Z").partition(".")
    return datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").timestamp() + float("0." + (fraction or "0"))
calls = [(started(call["timestamp"]), call["latency"] / 1e9, call["status"]) for call in report.get("details") or []]
first = min(start for start, _, _ in calls)
by_status = {}
for _, latency, status in calls:
    by_status.setdefault(status, []).append(latency * 1e3)
def pct(values, p):  # nearest rank
    values = sorted(values)
    return values[max(0, min(len(values) - 1, int(-(-p * len(values) // 100)) - 1))]
REJECTED = ("ResourceExhausted", "RESOURCE_EXHAUSTED")
ok = len(by_status.get("OK", []))
# accepted: OK calls that completed within the offered window (not the drain of the queue after it)
ok_in_window = sum(1 for start, latency, status in calls if status == "OK" and start + latency - first <= window)
rejected = [ms for status, values in by_status.items() if status in REJECTED for ms in values]
others = sum(len(values) for status, values in by_status.items() if status not in ("OK",) + REJECTED)
print("sent=%d offered_per_s=%.2f ok=%d ok_in_window=%d accepted_per_s=%.2f rejected=%d other=%d generator_seconds=%.2f" % (
    len(calls), len(calls) / window, ok, ok_in_window, ok_in_window / window, len(rejected), others, report["total"] / 1e9))
print("reject_p99_ms=%s" % ("%.3f" % pct(rejected, 99) if rejected else "NA"))
for status, values in sorted(by_status.items(), key=lambda item: -len(item[1])):
    print("status %s: calls=%d latency_ms p50=%.2f p90=%.2f p99=%.2f max=%.2f" % (
        status, len(values), pct(values, 50), pct(values, 90), pct(values, 99), max(values)))
for error, n in sorted((report.get("errorDistribution") or {}).items(), key=lambda item: -item[1])[:5]:
    print("error x%d: %s" % (n, error[:200]))
if len(calls) != report["count"]:
    print("WARNING: the report counted %d calls, its details list %d" % (report["count"], len(calls)))' \
    "$out/$LOAD_GENERATOR-overload.json" "$OVERLOAD_SECONDS")
read -r sent offered ok ok_in_window accepted rejected other_errors generator_seconds \
    <<<"$(head -n 1 <<<"$report" | sed 's/[a-z_]*=//g')"
reject_p99=$(sed -n 's/^reject_p99_ms=//p' <<<"$report")

# Bounded: the second half's max against the first half's (a plateau, not a climb).
halves() {  # COLUMN: "first_half_max second_half_max growth_pct"
    awk -v c="$1" 'NR > 1 && $c != "NA" { v[++n] = $c + 0 }
        END { for (i = 1; i <= n; i++) { if (i <= n / 2) { if (v[i] > a) a = v[i] } else if (v[i] > b) b = v[i] }
              if (a > 0) printf "%.0f %.0f %.1f\n", a, b, 100 * (b - a) / a; else print "NA NA NA" }' "$out/samples.txt"
}
read -r rss0 rss_max rss1 <<<"$(series "$out/samples.txt" 2)"
read -r threads0 threads_max threads1 <<<"$(series "$out/samples.txt" 3)"
read -r heap0 heap_max heap1 <<<"$(series "$out/samples.txt" 4)"
read -r _ _ rss_growth <<<"$(halves 2)"
read -r _ _ heap_growth <<<"$(halves 4)"
samples=$(($(wc -l <"$out/samples.txt") - 1))
heap_samples=$(awk 'NR > 1 && $4 != "NA"' "$out/samples.txt" | wc -l)

verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi; }
bounded() { [[ $1 == NA ]] && echo "NA (too few samples)" || verdict "$1 <= $BOUND_PCT"; }
ratio_accepted=$(ratio "$accepted" "$capacity")

machine
echo "model=resnet request_bytes=$(stat -c %s "$request") plugin_config=$PLUGIN_CONFIG nireq=$nireq server_java_opts=\"$SERVER_JAVA_OPTS\" load_generator=$LOAD_GENERATOR api=$API server_cpus=${SERVER_CPUS:-all} generator_cpus=${GENERATOR_CPUS:-all}"
echo "capacity: calls_per_s=$capacity (callers=$CAPACITY_CONCURRENCY connections=1 seconds=$CAPACITY_SECONDS warmup_s=$WARMUP_SECONDS ok=$capacity_ok not_ok=$capacity_not_ok others_cpu_pct=$capacity_others)"
echo "overload: requested_rps=$rps (${LOAD_FACTOR}x) callers=$CONCURRENCY connections=$CONNECTIONS seconds=$OVERLOAD_SECONDS ($LOAD_GENERATOR ran ${generator_seconds}s: the calls in flight at the end were waited for) others_cpu_pct=$overload_others"
echo "share of the machine's CPU: capacity $capacity_cpu; overload $overload_cpu"
echo "overload: sent=$sent offered_per_s=$offered ok=$ok rejected=$rejected other_errors=$other_errors"
echo "overload: accepted_per_s=$accepted (OK calls completed within the ${OVERLOAD_SECONDS}s: $ok_in_window; the other $((ok - ok_in_window)) OK calls drained after it)"
grep -E '^(status|error|WARNING)' <<<"$report"
echo "server idle after start-up: rss_mib=$(mib "$idle_rss" 1024) threads=$idle_threads heap_used_mib=$(mib "$idle_heap")"
echo "server during overload ($samples samples every ${SAMPLE_SECONDS}s, $heap_samples with heap): start/max/end" \
    "rss_mib=$(mib "$rss0" 1024)/$(mib "$rss_max" 1024)/$(mib "$rss1" 1024)" \
    "heap_used_mib=$(mib "$heap0")/$(mib "$heap_max")/$(mib "$heap1")" \
    "threads=$threads0/$threads_max/$threads1"
[[ $rps == 0 ]] || verdict "$(ratio "$offered" "$rps") >= 0.9" | grep -q PASS \
    || echo "NOTE: $LOAD_GENERATOR offered only $offered calls/s of the $rps asked ($(ratio "$offered" "$rps")): the load generator, not the server, set the offered load"
echo "verdict accepted/capacity=$ratio_accepted (>= $ACCEPTED_MIN): $(verdict "$ratio_accepted >= $ACCEPTED_MIN")"
# The load generator shares the cores: the same ratio per share of the machine the server had in each phase
echo "info accepted/capacity per CPU the server had=$(awk -v r="$ratio_accepted" -v c="$capacity_server_cpu" \
    -v o="$overload_server_cpu" 'BEGIN { if (o > 0) printf "%.3f", r * c / o; else print "NA" }') (the server had" \
    "${capacity_server_cpu}% of the machine's CPU while capacity was measured, ${overload_server_cpu}% during the overload)"
echo "verdict reject_p99_ms=$reject_p99 (< $REJECT_P99_MS): $([[ $reject_p99 == NA ]] && echo "NA (no call was rejected)" || verdict "$reject_p99 < $REJECT_P99_MS")"
echo "verdict heap bounded: max_mib=$(mib "$heap_max") second_half_vs_first_half_pct=$heap_growth (<= $BOUND_PCT): $(bounded "$heap_growth")"
echo "verdict rss bounded: max_mib=$(mib "$rss_max" 1024) second_half_vs_first_half_pct=$rss_growth (<= $BOUND_PCT): $(bounded "$rss_growth")"
echo "verdict errors other than RESOURCE_EXHAUSTED=$other_errors (== 0): $(verdict "$other_errors == 0")"
