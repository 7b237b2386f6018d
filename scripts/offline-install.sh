#!/usr/bin/env bash
# Installs Custodian Ceremony on the air-gapped laptop from a wheelhouse folder, with no
# network: every file is checked against SHA256SUMS, every dependency against the SHA-256
# pinned in runtime.lock, and pip never looks at a package index.
# Run it only after checking SHA256SUMS by hand against the value on paper
# (docs/airgap-install.md): this script cannot vouch for itself.
# Usage: offline-install.sh [VENV_DIR]   (default: ~/custodian-ceremony)
#   WHEELHOUSE=DIR  the folder made by `make wheelhouse` (default: this script's folder
#                   when it lies inside one, else ./wheelhouse)
#   PYTHON=python3.11  the interpreter for the new virtual environment
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${WHEELHOUSE:-}" ]; then
  if [ -f "$here/runtime.lock" ]; then WHEELHOUSE=$here; else WHEELHOUSE=$here/../wheelhouse; fi
fi
wheelhouse=$(cd "$WHEELHOUSE" && pwd)
venv=${1:-$HOME/custodian-ceremony}
python=${PYTHON:-$(command -v python3.11 || command -v python3)}

if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "offline-install: $python is not Python 3.11; set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
echo "offline-install: checking the wheelhouse against SHA256SUMS"
(cd "$wheelhouse" && sha256sum --quiet --strict -c SHA256SUMS)
project=$(ls "$wheelhouse"/custodian_ceremony-*.whl)

if [ -e "$venv" ]; then
  echo "offline-install: $venv already exists; remove it or choose another folder" >&2
  exit 1
fi
"$python" -m venv "$venv"
# --isolated: no pip configuration or PIP_* variable can add an index or another folder.
pip=("$venv/bin/python" -m pip --isolated --disable-pip-version-check)
"${pip[@]}" install --quiet --no-index --find-links "$wheelhouse" --only-binary=:all: \
  --require-hashes -r "$wheelhouse/runtime.lock"
"${pip[@]}" install --quiet --no-index --no-deps "$project"
"$venv/bin/ceremony" --help >/dev/null
# The ceremony record prints this value: the custodians compare it with the one on paper.
sha256sum "$wheelhouse/SHA256SUMS" | cut -d' ' -f1 >"$venv/wheelhouse.sha256"
install -m 0755 "$wheelhouse/ceremony-tmpfs.sh" "$venv/bin/ceremony-tmpfs.sh"
echo "offline-install: installed from the wheelhouse whose SHA256SUMS has SHA-256 $(cat "$venv/wheelhouse.sha256")"
echo "offline-install: before a ceremony, run: sudo sh $venv/bin/ceremony-tmpfs.sh"
echo "offline-install: done. Start it with: $venv/bin/ceremony"
