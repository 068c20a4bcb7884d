#!/usr/bin/env bash
# Check native/openvino-runtime.sh with given Python interpreters, each on a fresh cache:
# provision, fast path, the venv's Python version, model generation as the Maven build runs it
# (generate-models execution in pom.xml), benchmark_app on one model, and that runtime/ is the same
# whichever interpreter provisioned it.
#
#   native/check-python-versions.sh [--keep] PYTHON...     e.g. python3.11 /usr/bin/python3.12
#
# Each check downloads the ~60 MB wheel and its dependencies and needs ~550 MB of disk while it
# runs; the temporary directories are removed unless --keep. Ends with "N passed, N failed".
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
keep=false
if [[ ${1:-} == --keep ]]; then keep=true; shift; fi
[[ $# -gt 0 ]] || { sed -n '2,9s/^# \{0,1\}//p' "$0" >&2; exit 2; }

passed=0 failed=0 lib_sums=()
fail() { echo "FAIL $py: $*  (log: $work/log)"; failed=$((failed + 1)); }  # a failure keeps $work
for py in "$@"; do
    work=$(mktemp -d "${TMPDIR:-/tmp}/ovserve-pycheck.XXXXXX")
    echo "== $py  (work dir $work)"
    start=$SECONDS
    if ! root=$(OVSERVE_CACHE=$work/cache OVSERVE_PYTHON=$py nice bash "$here/openvino-runtime.sh" 2>"$work/log" | tail -n 1) \
            || [[ ! -f $root/.complete ]]; then
        fail "provisioning failed: $(tail -n 1 "$work/log")"
        continue
    fi
    provision_s=$((SECONDS - start))

    fast_start=$(date +%s%N)
    again=$(OVSERVE_CACHE=$work/cache OVSERVE_PYTHON=$py bash "$here/openvino-runtime.sh" 2>>"$work/log")
    fast_ms=$(( ($(date +%s%N) - fast_start) / 1000000 ))
    [[ $again == "$root" ]] || { fail "second run printed '$again'"; continue; }

    want=$("$py" -c 'import sys; print(sys.version.split()[0])')
    got=$("$root/venv/bin/python" -c 'import sys; print(sys.version.split()[0])')
    [[ $want == "$got" ]] || { fail "venv has Python $got, expected $want"; continue; }
    pkgs=$("$root/venv/bin/python" -c 'import importlib.metadata as m
print(" ".join(f"{p}=={m.version(p)}" for p in ("openvino", "numpy", "onnx", "protobuf", "ml_dtypes")))')

    # As the generate-models execution in pom.xml: ${openvino.python} generate_models.py ${ovserve.models}
    models=$work/models
    if ! nice "$root/venv/bin/python" "$here/models/generate_models.py" "$models" >>"$work/log" 2>&1; then
        fail "generate_models.py failed: $(tail -n 1 "$work/log")"
        continue
    fi
    # A second run skips only when every model and reference file exists.
    rerun=$("$root/venv/bin/python" "$here/models/generate_models.py" "$models" 2>&1)
    if grep -qv 'exists, skipped$' <<<"$rerun"; then
        fail "models missing after generation: $(grep -v 'exists, skipped$' <<<"$rerun" | head -n 1)"
        continue
    fi
    n_models=$(find "$models" -name model.xml -o -name model.onnx | wc -l)

    if ! nice "$root/venv/bin/benchmark_app" -m "$models/affine/1/model.xml" -d CPU -niter 20 -nireq 1 \
            -hint latency >>"$work/log" 2>&1; then
        fail "benchmark_app failed: $(tail -n 1 "$work/log")"
        continue
    fi

    lib_sum=$(sha256sum "$root/runtime/libs/libopenvino_c.so.2641" | cut -c1-16)
    lib_sums+=("$lib_sum")
    echo "PASS $py: Python $got, $(basename "$root"/wheel/*.whl); provisioned in ${provision_s}s," \
         "fast path ${fast_ms} ms; $pkgs; $n_models models generated; benchmark_app ran;" \
         "libopenvino_c.so.2641 sha256 $lib_sum..."
    passed=$((passed + 1))
    $keep || rm -rf "$work"
done

if [[ $(printf '%s\n' "${lib_sums[@]}" | sort -u | wc -l) -gt 1 ]]; then
    echo "FAIL: runtime/ differs between interpreters (libopenvino_c.so.2641: ${lib_sums[*]})"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
