#!/usr/bin/env bash
# Starts the CUPS scheduler with a cups-pdf queue named PDF, for the print tests.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "start-cups: not root; print tests will be skipped unless a scheduler is already running"
  exit 0
fi
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
  mkdir -p /run/cups
  /usr/sbin/cupsd
  for _ in $(seq 50); do lpstat -r 2>/dev/null | grep -q "is running" && break; sleep 0.2; done
fi
if ! lpstat -p PDF >/dev/null 2>&1; then
  lpadmin -p PDF -E -v cups-pdf:/ -P /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
fi
cupsenable PDF; cupsaccept PDF
echo "start-cups: scheduler running, queue PDF ready"
