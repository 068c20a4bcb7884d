#!/usr/bin/env bash
# What decoding the served JPEGs alone costs inference on this machine's cores (after ./mvnw package -DskipTests):
#
#   IMAGES=photo.jpg bash src/bench/decoding-control.sh
#
# benchmark.sh compares the served JPEG throughput with benchmark_app, which decodes nothing. This
# control runs benchmark_app alone, and beside src/bench/paced-decoding.c (ovserve's own decoding and
# resize, src/main/native/ovserve_jpeg.h, compiled here) decoding IMAGES to 224x224 RATE times a second
# and doing nothing else: the ratio is the most benchmark.sh's JPEG ratio can reach on these cores
# with a transport and a load generator that cost nothing. Rounds alternate the order; medians.
# Environment: IMAGES (required), RATE=48 (about what ResNet-50 is served at here), ROUNDS=3,
#   MEASURE_SECONDS=30, HINT=THROUGHPUT, NIREQ (default: benchmark_app's).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RATE=${RATE:-48}
ROUNDS=${ROUNDS:-3}
MEASURE_SECONDS=${MEASURE_SECONDS:-30}
HINT=${HINT:-THROUGHPUT}
out=target/decoding-control
# shellcheck source=src/bench/lib.sh
source src/bench/lib.sh
[[ -n ${IMAGES:-} && -f ${IMAGES:-} ]] || die "IMAGES must name a JPEG file"
[[ $RATE =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "RATE must be a number, got '$RATE'"
for n in ROUNDS MEASURE_SECONDS; do
    [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer, got '${!n}'"
done
decoder=target/paced-decoding
gcc -O3 -march=x86-64 -Isrc/main/native -o "$decoder" src/bench/paced-decoding.c -ljpeg -lm \
    || die "could not compile src/bench/paced-decoding.c (needs gcc and libjpeg-turbo's headers)"
hint_lower=$(tr '[:upper:]' '[:lower:]' <<<"$HINT")
flags=(-hint "$hint_lower" ${NIREQ:+-nireq "$NIREQ"})

alone() {  # round
    local fps
    fps=$(benchmark_app_fps "$out/benchmark_app-alone-$1.log" "$MEASURE_SECONDS" -- "${flags[@]}")
    echo "round $1 benchmark_app alone: $fps fps" >&2
    echo "$fps" >>"$out/alone.txt"
}

beside() {  # round
    local fps pid
    # runs past benchmark_app's measured time, to cover its start-up too
    "$decoder" "$IMAGES" 224 224 "$RATE" $((MEASURE_SECONDS + 15)) >"$out/decoding-$1.txt" &
    pid=$!
    fps=$(benchmark_app_fps "$out/benchmark_app-beside-$1.log" "$MEASURE_SECONDS" -- "${flags[@]}")
    kill -0 "$pid" 2>/dev/null || die "paced-decoding ended before benchmark_app did; see $out/decoding-$1.txt"
    wait "$pid" || die "paced-decoding failed"
    echo "round $1 benchmark_app beside the decoding: $fps fps ($(cat "$out/decoding-$1.txt"))" >&2
    echo "$fps" >>"$out/beside.txt"
}

rm -f "$out/alone.txt" "$out/beside.txt"
for ((round = 1; round <= ROUNDS; round++)); do
    if ((round % 2)); then alone "$round"; beside "$round"; else beside "$round"; alone "$round"; fi
done
alone_fps=$(median <"$out/alone.txt")
beside_fps=$(median <"$out/beside.txt")
machine
echo "image=$IMAGES rate=$RATE/s hint=$HINT measured_s=$MEASURE_SECONDS rounds=$ROUNDS"
echo "benchmark_app_alone_fps=$alone_fps (median of: $(paste -sd' ' "$out/alone.txt"))"
echo "benchmark_app_beside_decoding_fps=$beside_fps (median of: $(paste -sd' ' "$out/beside.txt"))"
echo "decoding_ceiling=$(ratio "$beside_fps" "$alone_fps")"
