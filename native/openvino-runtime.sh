#!/usr/bin/env bash
# Provision the pinned OpenVINO runtime for ovserve into a per-user cache.
#
#   native/openvino-runtime.sh            -> prints the cache root as the last stdout line
#
# Layout of the root ($OVSERVE_CACHE or ~/.cache/ovserve, then openvino-<version>):
#   wheel/<openvino wheel>         the sha256-verified PyPI wheel (the one for the venv's Python)
#   runtime/include/...            C/C++ headers (runtime/include/openvino/c/openvino.h)
#   runtime/libs/...               libopenvino_c.so.<v>, libopenvino.so.<v>, plugins, TBB
#   venv/                          python venv with that wheel + numpy (model generation, benchmark_app)
#                                  and VENV_EXTRAS (onnx, to write the ONNX test model)
#   .complete                      marker; present only once everything above is in place
#   .venv-extras                   the VENV_EXTRAS installed; when the list changes, an existing root
#                                  gets the new list installed into its venv (no re-provisioning)
#
# The wheels for the different CPython versions carry byte-identical include/ and libs/ trees, so
# the root does not depend on the Python version: only venv/ (and the wheel kept) does. The venv is
# made with the interpreter found when the root is provisioned; to switch, remove the root.
#
# The finished tree is built in a staging directory and renamed into place in one step, so an
# interrupted run never leaves a root that looks complete. When the marker exists the script only
# prints the root and exits (no python, no network): it is cheap enough to run on every build.
#
# Environment:
#   OVSERVE_CACHE      cache directory (default: ~/.cache/ovserve)
#   OVSERVE_PYTHON     CPython interpreter for the venv (default: the first supported one of
#                      python3, python3.14 ... python3.10 on PATH)
#   OVSERVE_OV_WHEEL   use this local wheel file instead of downloading it (still sha256-checked)
set -euo pipefail

OV_VERSION=2026.4.1
# For native/models/generate_models.py's ONNX model: onnx and its dependencies.
VENV_EXTRAS=(onnx==1.23.2 protobuf==7.36.2 ml_dtypes==0.6.0 typing_extensions==4.16.0)
# Every wheel the venv may install on Linux x86_64 (glibc): requirement, the CPython wheel tags it
# serves (* = all), sha256 from PyPI. The openvino lines define the supported Pythons. numpy 2.4
# has no 3.10 wheel, hence 2.2.6 there; abi3 and py3-none-any wheels serve several tags.
PINS='
openvino==2026.4.1            cp310         47dcccbab40a23aed1dc4af7c43a9c813cc61f684d66498e1627d407d5f2770b
openvino==2026.4.1            cp311         2d22b1da03f7caf74df30e9f6417d0ab2f637e4a38e08e1dcd294d2c37407aaf
openvino==2026.4.1            cp312         6b4375c17ddcac83a5180349e2e2bb811185c261066e2a920659892d58ef0e3b
openvino==2026.4.1            cp313         a9b637846c579d7b81b17b6585e0c7b1947574e8d13cf83d7307ce50cd2c352e
openvino==2026.4.1            cp314         3631dd889dccf3d5087775948590a6609a662f90c24a9cf85bb4dfa0cdd7fd2f
openvino==2026.4.1            cp314t        645e8788370b1037cc21d19078f2f235478292e23938b00ab4fe0d2614a5f7d0
numpy==2.2.6                  cp310         fc7b73d02efb0e18c000e9ad8b83480dfcd5dfd11065997ed4c6747470ae8915
numpy==2.4.6                  cp311         89cd468399cfd2504718f0ba50e410dca55a170b61a02ad92bb18c8a65186e93
numpy==2.4.6                  cp312         90f9849678c75fe7afa2d348ac842c168b0a4d3d61919687216dfc547976d853
numpy==2.4.6                  cp313         a7830bab239b79cda9c08c2da014761cafb48da6150e1da17ac06283f43b6089
numpy==2.4.6                  cp314         a2c306dea656c12c68f51f4cea133cbe78ca7435eb28c735eac1d3ebe73be6e8
numpy==2.4.6                  cp314t        7d92c3819208a60205a12a245c91ad70cb0a85336659b19b834205573ac8456e
openvino-telemetry==2025.2.0  *             bcb667e83a44f202ecf4cfa49281715c6d7e21499daec04ff853b7f964833599
onnx==1.23.2                  cp310         03334d6c834767c7acd37c7db51c98e98c8ceb61a964f6df96386e13272d2870
onnx==1.23.2                  cp311         c03ecf6b835d136108eeaeeafbd0026fc7b3cf98661409fbc6b63d5a29361348
onnx==1.23.2                  cp312,cp313,cp314  7abf381d278f31ac62487fddedc9dd42da842dce94d5d43536836ee3efdf4a2b
onnx==1.23.2                  cp314t        77674dc4fda2bde9a13aee67fb9ff658080159eb516d3a5b3fb2418d44dc70be
protobuf==7.36.2              cp310,cp311,cp312,cp313,cp314  89f23aa53c24553a2416fd4fd1ec06f74fa42b14b546d8883128813f775bbfd2
protobuf==7.36.2              *             bdb3a345d48db958e6ce1f18e508beb0cc981d64f24088427549c866cd039f1e
ml_dtypes==0.6.0              cp310         6ec0d244a5bba12239025389ad88bbfb45f9f10e25ab4f678e9a4768ebd47532
ml_dtypes==0.6.0              cp311         6c8e39b53e90afda8ce52859c93de4dba3e02b76d85dcf091cc469f9184c6dae
ml_dtypes==0.6.0              cp312         3b4a480aa8fd54a1805b8ac10f3f91763926a74f73c0c364c10f9231854f4170
ml_dtypes==0.6.0              cp313         26b1f1fa4f0435a2946859823f6e2bf06796f1e9f10f5a05b08a5e3c8f46ff69
ml_dtypes==0.6.0              cp314         8f490c003369ce60e514a0c3b12374f05274c101fee1bead6740ec8a564032b0
ml_dtypes==0.6.0              cp314t        b76fa1d3f92967d58289ac47ab7458ede66e6f3527fff3e59142aee57d9307cd
typing_extensions==4.16.0     *             481caa481374e813c1b176ada14e97f1f67a4539ce9cfeb3f350d78d6370c2e8
'

cache=${OVSERVE_CACHE:-${HOME:?HOME is not set}/.cache/ovserve}
case $cache in /*) ;; *) cache=$PWD/$cache ;; esac
root=$cache/openvino-$OV_VERSION

extras_installed() { [[ -f $root/.venv-extras && "$(<"$root/.venv-extras")" == "${VENV_EXTRAS[*]}" ]]; }
# -x follows the venv's python symlink: false once its base interpreter is gone.
root_usable() { [[ -f $root/.complete && -x $root/venv/bin/python ]]; }

# Fast path: already provisioned.
if root_usable && extras_installed; then
    echo "$root"
    exit 0
fi

log() { echo "openvino-runtime: $*" >&2; }
die() { echo "openvino-runtime: ERROR: $*" >&2; exit 1; }

# pip install into a venv: only wheels, quietly. Arguments: the venv's python, then pip arguments.
venv_install() {
    local python=$1
    shift
    "$python" -m pip install --quiet --disable-pip-version-check --no-input --only-binary=:all: "$@" >&2
}

pin_field() { awk -v spec="$1" -v tag="$2" -v col="$3" '$1 == spec && $2 == tag { print $col }' <<<"$PINS"; }
supported_tags() { awk -v spec="openvino==$OV_VERSION" '$1 == spec { print $2 }' <<<"$PINS"; }
supported_versions() { supported_tags | sed 's/^cp3/3./' | paste -sd, - | sed 's/,/, /g'; }
wheel_name() { echo "openvino-$OV_VERSION-22982-$1-$1-manylinux_2_28_x86_64.whl"; }

# Requirement lines for a venv of wheel tag $1, each with its allowed hashes (pip then refuses any
# unlisted package). $2 stands for openvino: the verified wheel file, or the spec if installed.
requirements() {
    local tag=$1 openvino=$2
    awk -v tag="$tag" -v ov="openvino==$OV_VERSION" -v ovreq="$openvino" '
        NF == 3 && ($2 == "*" || index("," $2 ",", "," tag ",")) {
            if (!($1 in hashes)) order[n++] = $1
            hashes[$1] = hashes[$1] " --hash=sha256:" $3
        }
        END { for (i = 0; i < n; i++) print (order[i] == ov ? ovreq : order[i]) hashes[order[i]] }' <<<"$PINS"
}

# Prints "<implementation> <version> <wheel tag> <venv|novenv> <glibc version or ->" for interpreter $1.
probe_python() {
    "$1" -c '
import platform, sys, sysconfig
t = "t" if sysconfig.get_config_var("Py_GIL_DISABLED") else ""
v = "%d%d%s" % (sys.version_info[0], sys.version_info[1], t)
try:
    import venv, ensurepip
    ok = "venv"
except ImportError:
    ok = "novenv"
libc, libc_version = platform.libc_ver()
print(sys.implementation.name, v[0] + "." + v[1:], "cp" + v, ok, libc_version if libc == "glibc" else "-")
' 2>/dev/null
}

# Sets py_tag when $1 can make the venv, else why_not (one line).
usable_python() {
    local out impl version tag venv glibc
    command -v "$1" >/dev/null 2>&1 || { why_not="$1 not found"; return 1; }
    out=$(probe_python "$1") || { why_not="$1 does not run as Python 3"; return 1; }
    read -r impl version tag venv glibc <<<"$out"
    [[ $impl == cpython ]] && impl=CPython
    if [[ $impl != CPython ]] || ! supported_tags | grep -qx "$tag"; then
        why_not="$1 is $impl $version, not supported: OpenVINO $OV_VERSION has wheels for CPython $(supported_versions); install one"
        return 1
    fi
    if [[ $venv != venv ]]; then
        why_not="$1 ($impl $version) lacks the venv/ensurepip modules; on Debian/Ubuntu apt-get install python${version%t}-venv"
        return 1
    fi
    if [[ $glibc == - ]] || ! printf '2.28\n%s\n' "$glibc" | sort -CV; then
        why_not="the OpenVINO wheels need glibc >= 2.28 (manylinux_2_28), this system has ${glibc/#-/none}"
        return 1
    fi
    py_tag=$tag
}

# A root provisioned before VENV_EXTRAS last changed: install the extras into its venv, then record them.
install_extras_into_root() {
    usable_python "$root/venv/bin/python" || die "$why_not"
    log "installing ${VENV_EXTRAS[*]} into $root/venv"
    # openvino is already installed there: named by its spec, pip leaves it alone.
    venv_install "$root/venv/bin/python" --require-hashes -r <(requirements "$py_tag" "openvino==$OV_VERSION") \
        || die "pip install of ${VENV_EXTRAS[*]} failed"
    "$root/venv/bin/python" -c 'import onnx' >&2 || die "the venv cannot import onnx"
    echo "${VENV_EXTRAS[*]}" > "$root/.venv-extras.tmp"
    mv -f "$root/.venv-extras.tmp" "$root/.venv-extras"
}

mkdir -p "$cache"

# Serialize concurrent provisioning (e.g. two builds started at once).
if command -v flock >/dev/null 2>&1; then
    exec 9>"$cache/.openvino-$OV_VERSION.lock"
    flock 9
    if root_usable && extras_installed; then
        echo "$root"
        exit 0
    fi
    # Holding the lock, any staging dir left behind is from a killed run.
    rm -rf "$cache/.staging-openvino-$OV_VERSION".*
fi

if root_usable; then  # complete, but its venv lacks the current extras
    install_extras_into_root
    echo "$root"
    exit 0
fi
if [[ -f $root/.complete ]]; then
    log "$root/venv/bin/python does not run any more (its interpreter was removed?): provisioning again"
fi

[[ $(uname -sm) == "Linux x86_64" ]] || die "the pinned OpenVINO wheels are for Linux x86_64, this is $(uname -sm)"

# Pick the interpreter: OVSERVE_PYTHON, else the first supported one on PATH.
if [[ -n ${OVSERVE_PYTHON:-} ]]; then
    py=$OVSERVE_PYTHON
    usable_python "$py" || die "OVSERVE_PYTHON: $why_not"
else
    py='' first_why_not=''
    for candidate in python3 python3.14 python3.13 python3.12 python3.11 python3.10; do
        if usable_python "$candidate"; then py=$candidate; break; fi
        [[ -n $first_why_not || $why_not == *" not found" ]] || first_why_not=$why_not
    done
    [[ -n $py ]] || die "${first_why_not:-no python3 found; OpenVINO $OV_VERSION needs CPython $(supported_versions); install one} or set OVSERVE_PYTHON"
fi
OV_WHEEL_NAME=$(wheel_name "$py_tag")
OV_WHEEL_SHA256=$(pin_field "openvino==$OV_VERSION" "$py_tag" 3)
pinned=$(requirements "$py_tag" "")
for extra in "${VENV_EXTRAS[@]}"; do  # guards against editing VENV_EXTRAS without PINS
    grep -q "^$extra " <<<"$pinned" || die "no pinned $py_tag wheel of $extra in PINS"
done
if [[ -n ${OVSERVE_OV_WHEEL:-} ]]; then
    [[ -f $OVSERVE_OV_WHEEL ]] || die "OVSERVE_OV_WHEEL=$OVSERVE_OV_WHEEL does not exist"
    [[ $(basename "$OVSERVE_OV_WHEEL") == "$OV_WHEEL_NAME" ]] \
        || die "OVSERVE_OV_WHEEL=$OVSERVE_OV_WHEEL is not $OV_WHEEL_NAME, the wheel for $py"
fi

stage=$(mktemp -d "$cache/.staging-openvino-$OV_VERSION.XXXXXX")
chmod 755 "$stage"
trap 'rm -rf "$stage"' EXIT
trap 'exit 130' INT TERM HUP
log "provisioning OpenVINO $OV_VERSION into $root (python: $py, $py_tag)"

# 1. Python venv; its pip (from ensurepip) does the downloads, so the interpreter needs no pip.
"$py" -m venv "$stage/venv" >&2 || die "'$py -m venv' failed"

# 2. Fetch the wheel.
mkdir -p "$stage/wheel"
wheel=$stage/wheel/$OV_WHEEL_NAME
if [[ -n ${OVSERVE_OV_WHEEL:-} ]]; then
    cp "$OVSERVE_OV_WHEEL" "$wheel"
elif [[ -f $root/wheel/$OV_WHEEL_NAME ]]; then  # re-provisioning a root whose venv broke
    cp "$root/wheel/$OV_WHEEL_NAME" "$wheel"
else
    log "downloading $OV_WHEEL_NAME from PyPI"
    minor=${py_tag#cp3}
    "$stage/venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-input --no-deps \
        --only-binary=:all: --implementation cp --python-version "3.${minor%t}" --abi "$py_tag" \
        --platform manylinux_2_28_x86_64 --dest "$stage/wheel" "openvino==$OV_VERSION" >&2 \
        || die "pip download of openvino==$OV_VERSION failed"
fi
[[ -f $wheel ]] || die "expected $OV_WHEEL_NAME, got: $(ls "$stage/wheel")"

# 3. Verify it.
actual=$("$py" -c 'import hashlib, sys
h = hashlib.sha256()
with open(sys.argv[1], "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
print(h.hexdigest())' "$wheel")
if [[ $actual != "$OV_WHEEL_SHA256" ]]; then
    die "sha256 mismatch for $OV_WHEEL_NAME: expected $OV_WHEEL_SHA256, got $actual"
fi

# 4. Unpack the C API headers and shared libraries (no dependency on `unzip`).
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

# 5. Install the verified wheel and the pinned packages into the venv.
log "installing openvino, numpy, ${VENV_EXTRAS[*]} into the venv"
venv_install "$stage/venv/bin/python" --require-hashes -r <(requirements "$py_tag" "$wheel") \
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

# 6. Mark complete and move into place atomically.
echo "${VENV_EXTRAS[*]}" > "$stage/.venv-extras"
touch "$stage/.complete"
rm -rf "$root"
mv -T "$stage" "$root"
trap - EXIT
log "done"
echo "$root"
