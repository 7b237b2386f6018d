#!/usr/bin/env bash
# `make wheelhouse`: one folder to carry across the air gap. It holds every wheel of
# requirements/runtime.lock (each checked against its pinned SHA-256 while downloading),
# the project's own wheel, the lock, the install and tmpfs scripts, and SHA256SUMS over all.
# Usage: scripts/wheelhouse.sh [DIR]   (default: ./wheelhouse, or $WHEELHOUSE)
# Files already in DIR are kept and re-checked, so a cached folder is reused.
#
# Reproducible: two runs from the same checkout give byte-identical SHA256SUMS. The project's
# wheel is built from a clean copy of the tracked files, with every timestamp set to
# SOURCE_DATE_EPOCH (default: the last commit's time), by the build backend pinned in
# requirements/build.lock (installed with --require-hashes into a throwaway venv).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wheel-target.sh
PY=${PY:-.venv/bin/python}
dir=${1:-${WHEELHOUSE:-wheelhouse}}
backend=${BUILD_BACKEND_CACHE:-build/backend-wheels}
export LC_ALL=C TZ=UTC
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}
mkdir -p "$dir" "$backend"

# Offline first: when a folder already holds every pinned wheel, the index is not asked at all.
fetch() {  # lock, folder, extra pip options...
  local lock=$1 dest=$2
  shift 2
  local download=("$PY" -m pip download --quiet --no-deps --require-hashes "$@" --dest "$dest"
    -r "$lock")
  "${download[@]}" --no-index --find-links "$dest" 2>/dev/null || "${download[@]}"
}
fetch requirements/runtime.lock "$dir" "${WHEEL_TARGET[@]}"
fetch requirements/build.lock "$backend" --only-binary=:all:

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

# The build backend, exactly as pinned: nothing else may take part in building the wheel.
"$PY" -m venv "$build/venv"
"$build/venv/bin/python" -m pip install --quiet --isolated --disable-pip-version-check \
  --no-index --find-links "$backend" --only-binary=:all: --require-hashes -r requirements/build.lock

# A clean copy of the source: the tracked files (and new ones not ignored) as they are now,
# never a stale build/ or *.egg-info folder.
mkdir "$build/src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c \
    '[ -e "$1" ] && cp --parents -P -- "$1" "$2"' sh {} "$build/src"
else
  tar --exclude=./.venv --exclude=./build --exclude="./$dir" -cf - . | tar -xf - -C "$build/src"
fi
find "$build/src" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
chmod -R u+rw,go-w,a+rX "$build/src"  # the wheel keeps modes: not the checkout's umask

# The project's own wheel is built here, not downloaded; SHA256SUMS covers it.
rm -f "$dir"/custodian_ceremony-*.whl
(cd "$build/src" && umask 022 && "$build/venv/bin/python" -m pip wheel --quiet --isolated \
  --disable-pip-version-check --no-index --no-deps --no-build-isolation \
  --wheel-dir "$build/dist" .)
cp "$build"/dist/custodian_ceremony-*.whl "$dir"/
cp requirements/runtime.lock scripts/offline-install.sh scripts/ceremony-tmpfs.sh "$dir"/

# Drop wheels a previous lock needed and this one does not.
wanted=$(grep -o '# .*\.whl$' requirements/runtime.lock | cut -c3-)
for wheel in "$dir"/*.whl; do
  name=$(basename "$wheel")
  case "$name" in custodian_ceremony-*) continue ;; esac
  grep -qxF "$name" <<<"$wanted" || rm -f "$wheel"
done

# Sorted (LC_ALL=C), relative names, no dates: the same folder gives the same bytes.
(cd "$dir" && sha256sum -- *.whl runtime.lock offline-install.sh ceremony-tmpfs.sh >SHA256SUMS)
echo "wheelhouse: $(ls "$dir"/*.whl | wc -l) wheels, $(du -sh "$dir" | cut -f1) in $dir"
sums=$(sha256sum "$dir/SHA256SUMS" | cut -d' ' -f1)
echo "SHA-256 of SHA256SUMS: $sums"
echo "Write it on paper now: on the laptop, check it by hand before running anything from the"
echo "stick (docs/airgap-install.md); the ceremony record prints the one it was installed from."
