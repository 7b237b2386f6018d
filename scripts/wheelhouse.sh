#!/usr/bin/env bash
# `make wheelhouse`: one folder to carry across the air gap. It holds every wheel of
# requirements/runtime.lock (each checked against its pinned SHA-256 while downloading),
# the project's own wheel, the lock, the install script and SHA256SUMS over all of it.
# Usage: scripts/wheelhouse.sh [DIR]   (default: ./wheelhouse, or $WHEELHOUSE)
# Files already in DIR are kept and re-checked, so a cached folder is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/wheel-target.sh
PY=${PY:-.venv/bin/python}
dir=${1:-${WHEELHOUSE:-wheelhouse}}
mkdir -p "$dir"

# Offline first: when DIR already holds every pinned wheel, the index is not asked at all.
download=("$PY" -m pip download --quiet --no-deps --require-hashes "${WHEEL_TARGET[@]}"
  --dest "$dir" -r requirements/runtime.lock)
"${download[@]}" --no-index --find-links "$dir" 2>/dev/null || "${download[@]}"

# The project's own wheel is built here, not downloaded; SHA256SUMS covers it.
rm -f "$dir"/custodian_ceremony-*.whl
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
"$PY" -m pip wheel --quiet --no-deps --wheel-dir "$build" .
cp "$build"/custodian_ceremony-*.whl "$dir"/
cp requirements/runtime.lock scripts/offline-install.sh "$dir"/

# Drop wheels a previous lock needed and this one does not.
wanted=$(grep -o '# .*\.whl$' requirements/runtime.lock | cut -c3-)
for wheel in "$dir"/*.whl; do
  name=$(basename "$wheel")
  case "$name" in custodian_ceremony-*) continue ;; esac
  grep -qxF "$name" <<<"$wanted" || rm -f "$wheel"
done

(cd "$dir" && sha256sum -- *.whl runtime.lock offline-install.sh >SHA256SUMS)
echo "wheelhouse: $(ls "$dir"/*.whl | wc -l) wheels, $(du -sh "$dir" | cut -f1) in $dir"
