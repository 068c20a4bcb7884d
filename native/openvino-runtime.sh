#!/usr/bin/env bash
# Provision the pinned OpenVINO runtime for ovserve into a per-user cache.
#
#   native/openvino-runtime.sh            -> prints the cache root as the last stdout line
#
# Layout of the root ($OVSERVE_CACHE or ~/.cache/ovserve, then openvino-<version>):
#   wheel/<openvino wheel>         the sha256-verified PyPI wheel
#   runtime/include/...            C/C++ headers (runtime/include/openvino/c/openvino.h)
#   runtime/libs/...               libopenvino_c.so.<v>, libopenvino.so.<v>, plugins, TBB
#   venv/                          python venv with that wheel + numpy (model generation, benchmark_app)
#                                  and VENV_EXTRAS (onnx, to write the ONNX test model)
#   .complete                      marker; present only once everything above is in place
#   .venv-extras                   the VENV_EXTRAS installed; when the list changes, an existing root
#                                  gets the new list installed into its venv (no re-provisioning)
#
# The finished tree is built in a staging directory and renamed into place in one step, so an
# interrupted run never leaves a root that looks complete. When the marker exists the script only
# prints the root and exits (no python, no network): it is cheap enough to run on every build.
#
# Environment:
#   OVSERVE_CACHE      cache directory (default: ~/.cache/ovserve)
#   OVSERVE_PYTHON     python 3.11 interpreter to use (default: python3.11, else python3)
#   OVSERVE_OV_WHEEL   use this local wheel file instead of downloading it (still sha256-checked)
set -euo pipefail

OV_VERSION=2026.4.1
OV_WHEEL_NAME=openvino-2026.4.1-22982-cp311-cp311-manylinux_2_28_x86_64.whl
OV_WHEEL_SHA256=2d22b1da03f7caf74df30e9f6417d0ab2f637e4a38e08e1dcd294d2c37407aaf
NUMPY_VERSION=2.4.6
OV_TELEMETRY_VERSION=2025.2.0
# For native/models/generate_models.py's ONNX model: onnx and its dependencies, pinned.
VENV_EXTRAS=(onnx==1.23.2 protobuf==7.36.2 ml_dtypes==0.6.0 typing_extensions==4.16.0)

cache=${OVSERVE_CACHE:-${HOME:?HOME is not set}/.cache/ovserve}
case $cache in /*) ;; *) cache=$PWD/$cache ;; esac
root=$cache/openvino-$OV_VERSION

extras_installed() { [[ -f $root/.venv-extras && "$(<"$root/.venv-extras")" == "${VENV_EXTRAS[*]}" ]]; }

# Fast path: already provisioned.
if [[ -f $root/.complete ]] && extras_installed; then
    echo "$root"
    exit 0
fi

log() { echo "openvino-runtime: $*" >&2; }
die() { echo "openvino-runtime: ERROR: $*" >&2; exit 1; }

# pip install into a venv: only wheels, quietly. Arguments: the venv's python, then the packages.
venv_install() {
    local python=$1
    shift
    "$python" -m pip install --quiet --disable-pip-version-check --no-input --only-binary=:all: "$@" >&2
}

# A root provisioned before VENV_EXTRAS last changed: install the extras into its venv, then record them.
install_extras_into_root() {
    log "installing ${VENV_EXTRAS[*]} into $root/venv"
    venv_install "$root/venv/bin/python" "${VENV_EXTRAS[@]}" || die "pip install of ${VENV_EXTRAS[*]} failed"
    "$root/venv/bin/python" -c 'import onnx' >&2 || die "the venv cannot import onnx"
    echo "${VENV_EXTRAS[*]}" > "$root/.venv-extras.tmp"
    mv -f "$root/.venv-extras.tmp" "$root/.venv-extras"
}

mkdir -p "$cache"

# Serialize concurrent provisioning (e.g. two builds started at once).
if command -v flock >/dev/null 2>&1; then
    exec 9>"$cache/.openvino-$OV_VERSION.lock"
    flock 9
    if [[ -f $root/.complete ]] && extras_installed; then
        echo "$root"
        exit 0
    fi
    # Holding the lock, any staging dir left behind is from a killed run.
    rm -rf "$cache/.staging-openvino-$OV_VERSION".*
fi

if [[ -f $root/.complete ]]; then  # complete, but its venv lacks the current extras
    install_extras_into_root
    echo "$root"
    exit 0
fi

# Pick a CPython 3.11 (the wheel is cp311).
py=${OVSERVE_PYTHON:-}
if [[ -z $py ]]; then
    if command -v python3.11 >/dev/null 2>&1; then py=python3.11; else py=python3; fi
fi
command -v "$py" >/dev/null 2>&1 || die "python interpreter '$py' not found (set OVSERVE_PYTHON)"
"$py" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' \
    || die "$py is $("$py" -V 2>&1); the OpenVINO wheel needs CPython 3.11 (set OVSERVE_PYTHON)"

stage=$(mktemp -d "$cache/.staging-openvino-$OV_VERSION.XXXXXX")
chmod 755 "$stage"
trap 'rm -rf "$stage"' EXIT
trap 'exit 130' INT TERM HUP
log "provisioning OpenVINO $OV_VERSION into $root"

# 1. Fetch the wheel.
mkdir -p "$stage/wheel"
if [[ -n ${OVSERVE_OV_WHEEL:-} ]]; then
    [[ -f $OVSERVE_OV_WHEEL ]] || die "OVSERVE_OV_WHEEL=$OVSERVE_OV_WHEEL does not exist"
    cp "$OVSERVE_OV_WHEEL" "$stage/wheel/$OV_WHEEL_NAME"
else
    log "downloading openvino==$OV_VERSION from PyPI"
    "$py" -m pip download --quiet --disable-pip-version-check --no-input --no-deps \
        --only-binary=:all: --implementation cp --python-version 3.11 --abi cp311 \
        --platform manylinux_2_28_x86_64 \
        --dest "$stage/wheel" "openvino==$OV_VERSION" >&2 \
        || die "pip download of openvino==$OV_VERSION failed"
fi
wheel=$stage/wheel/$OV_WHEEL_NAME
[[ -f $wheel ]] || die "expected $OV_WHEEL_NAME, got: $(ls "$stage/wheel")"

# 2. Verify it.
actual=$("$py" -c 'import hashlib, sys
h = hashlib.sha256()
with open(sys.argv[1], "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
print(h.hexdigest())' "$wheel")
if [[ $actual != "$OV_WHEEL_SHA256" ]]; then
    die "sha256 mismatch for $OV_WHEEL_NAME: expected $OV_WHEEL_SHA256, got $actual"
fi

# 3. Unpack the C API headers and shared libraries (no dependency on `unzip`).
"$py" - "$wheel" "$stage/runtime" <<'EOF'
import os, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
prefixes = ("openvino/include/", "openvino/libs/")
n = 0
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if info.is_dir() or not name.startswith(prefixes):
            continue
        rel = name[len("openvino/"):]
        if rel.startswith("/") or ".." in rel.split("/"):
            sys.exit(f"refusing suspicious path in wheel: {name}")
        out = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(info) as src, open(out, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        mode = (info.external_attr >> 16) & 0o777
        if rel.startswith("libs/") and ".so" in rel:
            mode |= 0o755
        os.chmod(out, mode or 0o644)
        n += 1
if n == 0:
    sys.exit("no openvino/include or openvino/libs entries in the wheel")
EOF
for f in "$stage/runtime/include/openvino/c/openvino.h" "$stage/runtime/libs/libopenvino_c.so.2641" \
         "$stage/runtime/libs/libopenvino.so.2641" "$stage/runtime/libs/libopenvino_intel_cpu_plugin.so"; do
    [[ -f $f ]] || die "missing after unpack: ${f#"$stage"/}"
done
# Unversioned names for linkers (-lopenvino_c).
ln -s libopenvino_c.so.2641 "$stage/runtime/libs/libopenvino_c.so"
ln -s libopenvino.so.2641 "$stage/runtime/libs/libopenvino.so"

# 4. Python venv with the verified wheel.
log "creating venv"
"$py" -m venv "$stage/venv" >&2 \
    || die "'$py -m venv' failed (on Debian's system python: apt-get install python3-venv)"
venv_install "$stage/venv/bin/python" "$wheel" "numpy==$NUMPY_VERSION" \
    "openvino-telemetry==$OV_TELEMETRY_VERSION" "${VENV_EXTRAS[@]}" \
    || die "pip install into the venv failed"

# The venv was created in the staging dir: point its scripts (shebangs, activate) at the final
# location. bin/python* are symlinks and are left alone (find -type f skips them).
while IFS= read -r -d '' f; do
    if grep -qF "$stage" "$f"; then
        sed -i "s#$stage#$root#g" "$f"
    fi
done < <(find "$stage/venv/bin" -maxdepth 1 -type f -print0)
sed -i "s#$stage#$root#g" "$stage/venv/pyvenv.cfg"

"$stage/venv/bin/python" -c 'import openvino, numpy, onnx; assert openvino.__version__.startswith("'"$OV_VERSION"'"), openvino.__version__' >&2 \
    || die "the venv cannot import openvino $OV_VERSION"

# 5. Mark complete and move into place atomically.
echo "${VENV_EXTRAS[*]}" > "$stage/.venv-extras"
touch "$stage/.complete"
rm -rf "$root"
mv -T "$stage" "$root"
trap - EXIT
log "done"
echo "$root"
