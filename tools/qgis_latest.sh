#!/usr/bin/env bash
# The test suite on the newest QGIS Debian ships (sid: QGIS 3.44, Python 3.14, shapely 2.1), as root.
#
#   tools/qgis_latest.sh build            build the sid root once, cached under build/ (prints its path)
#   tools/qgis_latest.sh test [ARGS...]   build if needed, then run pytest ARGS in it (make test-qgis-latest)
#   tools/qgis_latest.sh shell            a shell in the root, set up as the tests see it
#
# The root is made with mmdebstrap (installed from Debian when missing) from the same mirror the
# machine uses for Debian. It is built in a temporary folder and renamed when complete, under a name
# that carries a hash of the recipe below and requirements-dev.txt, so a changed recipe builds a new root.
# The clone is mounted in the root at its own absolute path (build/pkgroot/scene_finder links to
# it) with ../shared beside it, in a private mount namespace: the mounts go when the run ends,
# whatever the tests do.
set -euo pipefail

CLONE=$(cd "$(dirname "$0")/.." && pwd -P)
SHARED=$(dirname "$CLONE")/shared
SUITE=sid
die() { echo "qgis_latest: $*" >&2; exit 1; }

# The cache key: the recipe part of this script (between the "recipe" marks) and requirements-dev.txt.
recipe_key() {
    { sed -n '/^# recipe: begin/,/^# recipe: end/p' "$CLONE/tools/qgis_latest.sh"; cat "$CLONE/requirements-dev.txt"; } \
        | sha256sum | cut -c1-12
}

ROOT="$CLONE/build/qgis-$SUITE-$(recipe_key)"

# The host the machine's own Debian sources use (deb.debian.org unless a mirror is configured).
debian_mirror() {
    local uri
    uri=$(grep -rhoE '(URIs:|^deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ \
          2>/dev/null | grep -oE 'https?://[^ ]+' | head -n1 || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

need_root() {
    [ "$(id -u)" = 0 ] || die "needs root (chroot and mounts); run it with sudo"
}

ensure_mmdebstrap() {
    command -v mmdebstrap >/dev/null && return
    echo "Installing mmdebstrap from Debian" >&2
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap
}

# recipe: begin
# What the suite uses (qgis brings qgis_process; xvfb and xauth for xvfb-run; git lists the files the
# package test expects; the TLS tests make certificates with cryptography; the coverage test checks the
# planner against an exact solver from scipy), and python3-venv for the
# venv of the test tools. Recommends are not installed, so what Debian 12 brings along is named here.
PACKAGES=(python3-qgis qgis-providers qgis python3-requests python3-shapely python3-gdal python3-psutil
          python3-numpy python3-scipy python3-certifi python3-cryptography python3-venv curl xvfb xauth git ca-certificates)
VENV=/opt/venv  # inside the root: Python 3.14 there is "externally managed", so pytest goes in a venv

# Copies the machine's extra CA certificates and pip configuration into the root at $1, so that apt
# and pip inside reach what they reach here (a TLS-inspecting proxy's CA, a local index, constraints).
carry_machine_config() {
    local root=$1 file
    mkdir -p "$root/usr/local/share/ca-certificates"
    if [ -d /usr/local/share/ca-certificates ]; then
        cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
    fi
    for file in /etc/pip.conf /etc/xdg/pip; do
        if [ -e "$file" ]; then mkdir -p "$root$(dirname "$file")" && cp -a "$file" "$root$(dirname "$file")/"; fi
    done
    chroot "$root" update-ca-certificates --fresh >/dev/null
}

# Environment for commands in the root: a clean PATH, HOME on the run's tmpfs, offscreen Qt,
# and the machine's PIP_* settings (index, certificate, timeouts).
root_env() {
    local var
    ENV=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp/home LANG=C.UTF-8
         TERM="${TERM:-dumb}" QT_QPA_PLATFORM=offscreen PYTHONDONTWRITEBYTECODE=1
         PYTHONPATH="$CLONE/build/pkgroot")
    for var in $(compgen -e | grep -E '^PIP_' || true); do ENV+=("$var=${!var}"); done
}

build() {
    need_root
    if [ -d "$ROOT" ]; then echo "$ROOT"; return; fi
    ensure_mmdebstrap
    local tmp="$ROOT.partial.$$" mirror start=$SECONDS
    mirror=$(debian_mirror)
    trap 'rm -rf --one-file-system "$tmp"' EXIT
    mkdir -p "$CLONE/build"
    echo "Building a Debian $SUITE root with QGIS from $mirror (once; cached as ${ROOT#"$CLONE"/})" >&2
    # The archive's Release file may be past its Valid-Until date on a mirror snapshot: allow that.
    mmdebstrap --mode=root --variant=apt --quiet \
        --aptopt='Acquire::Check-Valid-Until "false"' \
        --aptopt='APT::Install-Recommends "false"' \
        --include="$(IFS=,; echo "${PACKAGES[*]}")" \
        --customize-hook="\"$CLONE/tools/qgis_latest.sh\" customize \"\$1\"" \
        "$SUITE" "$tmp" "deb $mirror $SUITE main"
    mv -T "$tmp" "$ROOT"
    trap - EXIT
    # Roots from older recipes are not used any more.
    find "$CLONE/build" -maxdepth 1 -name "qgis-$SUITE-*" ! -path "$ROOT" -exec rm -rf --one-file-system {} +
    echo "Built in $((SECONDS - start)) s: $(cat "$ROOT/etc/scene-finder-root")" >&2
    echo "$ROOT"
}

# mmdebstrap's last step, in the root at $1 (/dev, /proc and DNS are set up there by mmdebstrap):
# the machine's certificates and pip configuration, then the venv with the test tools.
customize() {
    local root=$1
    carry_machine_config "$root"
    cp "$CLONE/requirements-dev.txt" "$root/tmp/requirements-dev.txt"
    root_env
    chroot "$root" "${ENV[@]}" /usr/bin/python3 -m venv --system-site-packages "$VENV"
    chroot "$root" "${ENV[@]}" HOME=/root "$VENV/bin/python" -m pip install -q -r /tmp/requirements-dev.txt
    rm -f "$root/tmp/requirements-dev.txt"
    chroot "$root" "${ENV[@]}" "$VENV/bin/python" -c 'import qgis.core, shapely, sys
print("QGIS", qgis.core.Qgis.version(), "Python", sys.version.split()[0], "shapely", shapely.__version__)' \
        >"$root/etc/scene-finder-root"
}

# recipe: end

# Runs "$@" in the root, in a private mount namespace (its mounts vanish with it, also on failure).
in_root() {
    need_root
    build >/dev/null
    root_env
    local mounts=("$CLONE")
    [ -d "$SHARED" ] && mounts+=("$SHARED")
    # Whatever the clone leads to outside itself must be there too: the targets of links in build/
    # (a shared cache, say) and the git folder of a worktree.
    local link target
    for link in "$CLONE"/build/*; do
        [ -L "$link" ] || continue
        target=$(readlink -f "$link" || true)
        [ -d "$target" ] && [[ "$target" != "$CLONE"/* ]] && mounts+=("$target")
    done
    if command -v git >/dev/null; then
        target=$(git -C "$CLONE" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
        [ -d "$target" ] && [[ "$target" != "$CLONE"/* ]] && mounts+=("$target")
    fi
    # Root in the root reads a clone that may belong to another user.
    ENV+=(GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0='*')
    # Inside, bash is PID 1 and the command its child: a TERM or HUP ends bash, and with it every
    # process of the namespace and its mounts; Ctrl-C goes to the command, as in any terminal.
    unshare --mount --pid --fork --propagation private -- bash -euo pipefail -c '
        root=$1; shift; count=$1; shift
        mount --rbind /dev "$root/dev"
        mount -t proc proc "$root/proc"
        mount -t sysfs sysfs "$root/sys"
        mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
        mkdir -p "$root/tmp/home"
        for dir in "${@:1:$count}"; do
            mkdir -p "$root$dir" && mount --bind "$dir" "$root$dir"
        done
        shift "$count"
        trap "exit 143" TERM HUP
        trap : INT
        env --default-signal=INT chroot "$root" "$@" <&0 &
        child=$!
        while :; do
            wait "$child" && exit 0 || status=$?
            kill -0 "$child" 2>/dev/null || exit "$status"
        done
    ' in_root "$ROOT" "${#mounts[@]}" "${mounts[@]}" "${ENV[@]}" "$@" <&0 &
    # unshare itself ignores TERM while it waits: pass a TERM or HUP on to the namespace's PID 1.
    local unshared=$! status=0
    trap 'kill -TERM $(pgrep -P "$unshared") 2>/dev/null || true' TERM HUP
    trap : INT
    while :; do
        wait "$unshared" && status=0 || status=$?
        kill -0 "$unshared" 2>/dev/null || break
    done
    trap - TERM HUP INT
    return "$status"
}

run_tests() {
    local start=$SECONDS status=0
    build >/dev/null
    echo "Testing on $(cat "$ROOT/etc/scene-finder-root")" >&2
    in_root /bin/sh -c 'cd "$1" && shift && exec '"$VENV"'/bin/python -m pytest "$@"' sh "$CLONE" "$@" || status=$?
    echo "Test run in the $SUITE root: $((SECONDS - start)) s, pytest exit $status" >&2
    # pytest exits 5 when it collected no test: a failure here too.
    return "$status"
}

case "${1:-test}" in
    build) build ;;
    test) shift || true; run_tests "$@" ;;
    customize) customize "$2" ;;
    shell) in_root /bin/bash -c 'cd "$1" && exec bash' sh "$CLONE" ;;
    *) die "unknown command $1 (build, test or shell)" ;;
esac
