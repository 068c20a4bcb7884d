#!/usr/bin/env bash
# Soak: a million Predicts on a small model, and whether the server's memory and threads stay flat
# (after ./mvnw package -DskipTests):
#
#   bash src/bench/soak.sh                      # quick check: SOAK_CALLS=50000 bash src/bench/soak.sh
#
# One server on the generated affine model (input "x" f32 [1,4], output "y"; inference costs
# microseconds, so the calls stress the serving path, not OpenVINO), with PLUGIN_CONFIG,
# SERVER_JAVA_OPTS plus -XX:NativeMemoryTracking=summary and -XX:+AlwaysPreTouch (the heap's pages
# resident from the start, so that RSS does not grow merely as the heap is first touched), on free
# 127.0.0.1 ports. The client mode
# (java -jar quarkus-run.jar client, through the balancing client as the seed's Job, --targets with
# this one server, --max_attempts=1 so that no failure is hidden by a retry) sends SOAK_CALLS calls,
# PARALLEL in flight. Meanwhile:
#   - every SAMPLE_SECONDS the server's RSS and threads (/proc/PID/status; the threads include
#     OpenVINO's native ones) and heap in use (/q/metrics) go to $out/samples.txt;
#   - when the client has done 10% of the calls, and again as soon as it has finished (100%): RSS and
#     threads, then NMT (jcmd VM.native_memory: a baseline at 10%, summary.diff at 100%), then the heap
#     live after a full GC (jcmd GC.run, then /q/metrics). NMT sees the JVM's own native memory only:
#     OpenVINO's allocations are outside it, so RSS is the real check. RSS - NMT committed is printed
#     as a rough figure of the memory outside the JVM's accounts (NMT's committed is not all resident).
# A jcmd runs once before the load, so its Attach Listener thread exists at both points.
# It prints the errors, RSS at 10% and 100% and the growth (threshold < RSS_GROWTH_MAX_PCT, default 5),
# threads at both points (flat: within THREADS_TOLERANCE, default 2), live heap and NMT at both
# points, the duration and calls/s. The exit status is 0 whether the verdicts pass or fail (they are
# printed); non-zero when the run broke.
#
# Environment (all optional): SOAK_CALLS=1000000, PARALLEL=8, SAMPLE_SECONDS=5,
#   PLUGIN_CONFIG='{"PERFORMANCE_HINT":"LATENCY"}', RSS_GROWTH_MAX_PCT=5, THREADS_TOLERANCE=2,
#   SERVER_JAVA_OPTS, CLIENT_JAVA_OPTS, READY_TIMEOUT (see src/bench/lib.sh).
# Traffic goes to 127.0.0.1 only; the server and the client are stopped at the end, whatever happens.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SOAK_CALLS=${SOAK_CALLS:-1000000}
PARALLEL=${PARALLEL:-8}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-5}
PLUGIN_CONFIG=${PLUGIN_CONFIG:-'{"PERFORMANCE_HINT":"LATENCY"}'}
RSS_GROWTH_MAX_PCT=${RSS_GROWTH_MAX_PCT:-5}
THREADS_TOLERANCE=${THREADS_TOLERANCE:-2}
out=target/soak
# shellcheck source=src/bench/lib.sh
source src/bench/lib.sh
for n in SOAK_CALLS PARALLEL SAMPLE_SECONDS; do
    [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer, got '${!n}'"
done
((SOAK_CALLS >= 10)) || die "SOAK_CALLS must be at least 10"
[[ $SERVER_JAVA_OPTS == *NativeMemoryTracking* ]] || SERVER_JAVA_OPTS+=" -XX:NativeMemoryTracking=summary"
# The heap resident from the start: else RSS grows as the allocations first touch its pages, which
# looks like a leak for as long as it takes to cycle through the whole heap once.
[[ $SERVER_JAVA_OPTS == *AlwaysPreTouch* ]] || SERVER_JAVA_OPTS+=" -XX:+AlwaysPreTouch"

client_pid=
stop_client() {
    [[ -n $client_pid ]] || return 0
    kill -TERM "$client_pid" 2>/dev/null || true
    wait "$client_pid" 2>/dev/null || true
    client_pid=
}
trap 'stop_client; stop_sampler; stop_servers' EXIT

jcmd_to() {  # FILE COMMAND...: jcmd on the server, its answer in FILE
    local file=$1
    shift
    jcmd "$server_pid" "$@" >"$file" 2>&1 || die "jcmd $* failed; see $file"
}
# NMT's total committed KB: from a summary ("Total: reserved=NKB, committed=NKB") or a summary.diff
# ("Total: reserved=NKB +NKB, committed=NKB +NKB"): the first number after committed=.
nmt_committed_kb() { sed -n 's/^Total: .*committed=\([0-9]*\)KB.*/\1/p' "$1" | head -n 1; }
progress() {  # calls the client has done so far (its progress line, once a second), 0 before the first
    { grep -o '[0-9]*/[0-9]* done' "$out/client.err" 2>/dev/null || true; } | tail -n 1 | awk -F/ '{ d = $1 } END { print d + 0 }'
}

# snapshot LABEL: RSS and threads first (before any jcmd), then NMT and the live heap; sets snap_* vars.
snapshot() {
    local label=$1
    snap_done=$(progress)
    [[ $label != 100pct ]] || snap_done=$SOAK_CALLS
    read -r snap_rss snap_threads <<<"$(process_status "$server_pid")"
    if [[ $label == 10pct ]]; then
        jcmd_to "$out/nmt-$label.txt" VM.native_memory summary
        jcmd_to "$out/nmt-baseline.txt" VM.native_memory baseline
    else
        jcmd_to "$out/nmt-$label.txt" VM.native_memory summary.diff
    fi
    snap_nmt=$(nmt_committed_kb "$out/nmt-$label.txt")
    jcmd_to "$out/gc-$label.txt" GC.run
    snap_heap=$(heap_used "$http_port")
    log "$label: $snap_done calls done, rss ${snap_rss} KB, $snap_threads threads, NMT committed ${snap_nmt:-?} KB, heap live $snap_heap B"
}

SERVER_MODEL=affine start_server soak "$PLUGIN_CONFIG"
phase_pids=$server_pid  # the server's CPU is ours, not the others'
read -r idle_rss idle_threads <<<"$(process_status "$server_pid")"
jcmd_to "$out/nmt-start.txt" VM.native_memory summary  # also starts the Attach Listener thread, once
start_sampler "$server_pid" "$http_port" "$SAMPLE_SECONDS" "$out/samples.txt"
phase_start
log "client: $SOAK_CALLS calls, $PARALLEL in flight, to 127.0.0.1:$grpc_port"
# shellcheck disable=SC2086 # the JVM options are a word list on purpose
java $CLIENT_JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar client --targets="127.0.0.1:$grpc_port" \
    --model_name=affine --input_name=x --output_name=y --iterations="$SOAK_CALLS" \
    --max_parallel_requests="$PARALLEL" --max_attempts=1 --json="$out/client.json" \
    >"$out/client.txt" 2>"$out/client.err" &
client_pid=$!
at10=
while kill -0 "$client_pid" 2>/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || die "the server died during the soak; log: $out/server-soak.log"
    if [[ -z $at10 ]] && (($(progress) * 10 >= SOAK_CALLS)); then
        snapshot 10pct
        at10=$snap_done rss10=$snap_rss threads10=$snap_threads nmt10=$snap_nmt heap10=$snap_heap
    fi
    sleep 1
done
client_status=0
wait "$client_pid" || client_status=$?
client_pid=
((client_status <= 1)) || { tail -n 20 "$out/client.err" >&2; die "the client failed (exit $client_status); see $out/client.err"; }
[[ -n $at10 ]] || die "the client finished before its progress line showed 10% of the calls (too few SOAK_CALLS?)"
kill -0 "$server_pid" 2>/dev/null || die "the server died during the soak; log: $out/server-soak.log"
snapshot 100pct
rss100=$snap_rss threads100=$snap_threads nmt100=$snap_nmt heap100=$snap_heap
stop_sampler
phase_end soak
stop_servers

# The client's report: {"ok":N,"errors":{...},"fps":F,"latency_ms":{...},"retries":N}
read -r ok errors fps p50 p99 retries error_kinds <<<"$("$python" -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(r["ok"], sum(r["errors"].values()), r["fps"], r["latency_ms"]["p50"], r["latency_ms"]["p99"], r["retries"],
      ",".join("%s=%d" % kv for kv in r["errors"].items()) or "none")' "$out/client.json")"
duration=$(sed -n 's/^Total time: \([0-9.]*\) s$/\1/p' "$out/client.txt")
rss_growth=$(awk -v a="$rss10" -v b="$rss100" 'BEGIN { printf "%.2f\n", 100 * (b - a) / a }')
read -r _ rss_max _ <<<"$(series "$out/samples.txt" 2)"
read -r _ threads_max _ <<<"$(series "$out/samples.txt" 3)"
read -r _ heap_max _ <<<"$(series "$out/samples.txt" 4)"
samples=$(($(wc -l <"$out/samples.txt") - 1))
nmt_growth=$(sed -n 's/^- *\([^(]*\)(reserved=.*committed=[0-9]*KB \([+-][0-9]*KB\)).*/\2 \1/p' "$out/nmt-100pct.txt" \
    | sort -t' ' -k1,1 -g -r | head -n 3 | sed 's/ *$//' | paste -sd ',' | sed 's/,/, /g')
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo FAIL; fi; }

machine
echo "model=affine plugin_config=$PLUGIN_CONFIG nireq=$nireq server_java_opts=\"$SERVER_JAVA_OPTS\" client_java_opts=\"$CLIENT_JAVA_OPTS\" load_generator=client-mode(--targets, --max_attempts=1) parallel=$PARALLEL others_cpu_pct=$others"
echo "calls=$SOAK_CALLS ok=$ok errors=$errors ($error_kinds) retries=$retries duration_s=$duration calls_per_s=$fps latency_ms p50=$p50 p99=$p99"
echo "server idle after start-up: rss_mib=$(mib "$idle_rss" 1024) threads=$idle_threads"
echo "at 10% ($at10 calls done): rss_mib=$(mib "$rss10" 1024) threads=$threads10 nmt_committed_mib=$(mib "$nmt10" 1024) rss_minus_nmt_committed_mib=$(mib $((rss10 - nmt10)) 1024) heap_live_after_gc_mib=$(mib "$heap10")"
echo "at 100% ($SOAK_CALLS calls done): rss_mib=$(mib "$rss100" 1024) threads=$threads100 nmt_committed_mib=$(mib "$nmt100" 1024) rss_minus_nmt_committed_mib=$(mib $((rss100 - nmt100)) 1024) heap_live_after_gc_mib=$(mib "$heap100")"
echo "sampled every ${SAMPLE_SECONDS}s ($samples samples): max rss_mib=$(mib "$rss_max" 1024) max threads=$threads_max max heap_used_mib=$(mib "$heap_max")"
echo "NMT committed growth 10% -> 100%, largest: ${nmt_growth:-none}"
echo "verdict errors=$errors (== 0): $(verdict "$errors == 0")"
echo "verdict rss growth 10% -> 100% = $rss_growth% (< $RSS_GROWTH_MAX_PCT%): $(verdict "$rss_growth < $RSS_GROWTH_MAX_PCT")"
echo "verdict threads 10% -> 100% = $threads10 -> $threads100 (flat, within $THREADS_TOLERANCE): $(verdict "($threads100 - $threads10) <= $THREADS_TOLERANCE && ($threads10 - $threads100) <= $THREADS_TOLERANCE")"
