#!/usr/bin/env bash
# `make run`: the desktop app where there is a display, the headless rehearsal where there is none.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec .venv/bin/ceremony
fi
out="${CEREMONY_REHEARSAL_OUT:-rehearsal-output}"
echo "No display found: running the headless rehearsal (throwaway key, no Vault)."
rm -rf "$out.previous"; [ -d "$out" ] && mv "$out" "$out.previous"
.venv/bin/ceremony rehearse --out "$out"
echo "Rehearsal output is in: $(cd "$out" && pwd)"
