#!/usr/bin/env bash
# Starts the CUPS scheduler with a cups-pdf queue named PDF, for the print tests.
# The scheduler is told not to keep printed documents in its spool: a share
# sheet must not outlive its print job on disk (see README, "Security model").
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "start-cups: not root; print tests will be skipped unless a scheduler is already running"
  exit 0
fi
conf=/etc/cups/cupsd.conf
restart=no
if ! grep -q "^PreserveJobFiles No" "$conf"; then
  sed -i '/^PreserveJobFiles/d' "$conf"
  echo "PreserveJobFiles No" >> "$conf"
  restart=yes
fi
if lpstat -r 2>/dev/null | grep -q "is running" && [ "$restart" = yes ]; then
  pkill -x cupsd || true
  for _ in $(seq 50); do pgrep -x cupsd >/dev/null || break; sleep 0.2; done
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
echo "start-cups: scheduler running (spool keeps no documents), queue PDF ready"
