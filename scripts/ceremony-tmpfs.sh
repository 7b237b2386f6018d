#!/bin/sh
# Mounts memory-only folders (tmpfs) for a real ceremony: the temporary folder and the CUPS
# print spool (RequestRoot, and TempDir when it lies elsewhere). A printed share sheet passes
# through the spool, and deleted files on a disk can be read back; on tmpfs they vanish at
# power-off. The mounts last until the next reboot: run this after every boot, before the
# ceremony. Usage: sudo sh ceremony-tmpfs.sh [--no-restart]
#   --no-restart  do not restart CUPS (restart it yourself before printing)
set -eu

restart=yes
[ "${1:-}" = "--no-restart" ] && restart=no
if [ "$(id -u)" != 0 ]; then
  echo "ceremony-tmpfs: run this as root: sudo sh $0" >&2
  exit 2
fi

# The last RequestRoot / TempDir line wins, as in CUPS; cups-files.conf first (CUPS 2.x).
directive() {
  cat /etc/cups/cups-files.conf /etc/cups/cupsd.conf 2>/dev/null |
    awk -v key="$1" 'tolower($1) == tolower(key) && NF >= 2 { v = $2 } END { print v }'
}

on_tmpfs() { [ "$(stat -f -c %T "$1" 2>/dev/null)" = tmpfs ]; }

mount_tmpfs() {  # folder, mode, group
  if on_tmpfs "$1"; then
    echo "ceremony-tmpfs: $1 is already in memory (tmpfs)"
    return
  fi
  mkdir -p "$1"
  mount -t tmpfs -o "mode=$2,size=512m,nosuid,nodev" ceremony-tmpfs "$1"
  [ -n "$3" ] && chgrp "$3" "$1"
  echo "ceremony-tmpfs: mounted a memory-only folder (tmpfs) on $1"
  changed=yes
}

changed=no
mount_tmpfs "${TMPDIR:-/tmp}" 1777 ""
if [ -d /etc/cups ]; then
  spool=$(directive RequestRoot)
  spool=${spool:-/var/spool/cups}
  temp=$(directive TempDir)
  temp=${temp:-$spool/tmp}
  group=$(getent group lp >/dev/null && echo lp || echo "")
  spool_changed=$changed
  changed=no
  mount_tmpfs "$spool" 0710 "$group"
  mkdir -p "$temp"
  case "$temp" in
    "$spool"/*) chmod 1770 "$temp"; [ -n "$group" ] && chgrp "$group" "$temp" ;;
    *) mount_tmpfs "$temp" 1770 "$group" ;;
  esac
  if [ "$changed" = yes ]; then
    if [ "$restart" = yes ] && command -v systemctl >/dev/null && systemctl is-active -q cups; then
      systemctl restart cups
      echo "ceremony-tmpfs: restarted CUPS so that it spools in memory"
    else
      echo "ceremony-tmpfs: restart CUPS now (e.g. 'systemctl restart cups') before printing"
    fi
  fi
  [ "$spool_changed" = yes ] && changed=yes
fi
echo "ceremony-tmpfs: done; the environment check now shows 'Temporary files stay in memory'."
echo "ceremony-tmpfs: these folders are emptied at power-off; run this again after a reboot."
