#!/bin/bash
# Runs inside the new root (mmdebstrap customize hook) with SOURCE_DATE_EPOCH set.
# Installs the app from the hash-checked wheelhouse and locks the system down:
# no network drivers, no swap, radios blocked, X session on tty1.
set -euo pipefail
export LC_ALL=C.UTF-8

# The custodian: fixed ids, no password (nobody logs in; the session is started by systemd).
groupadd --gid 1000 custodian
useradd --uid 1000 --gid 1000 --groups lp,lpadmin,video,audio,plugdev,input \
  --home-dir /home/custodian --no-create-home --shell /usr/sbin/nologin custodian

# The app: offline, every wheel checked against its pinned SHA-256.
PYTHON=/usr/bin/python3 WHEELHOUSE=/tmp/wheelhouse bash /tmp/wheelhouse/offline-install.sh /opt/ceremony
rm -rf /tmp/wheelhouse

# No network, Wi-Fi, Bluetooth or NFC driver exists in this image.
for kdir in /lib/modules/*; do
  k=$(basename "$kdir")
  rm -rf "$kdir"/kernel/drivers/net "$kdir"/kernel/net/wireless "$kdir"/kernel/net/mac80211 \
    "$kdir"/kernel/net/bluetooth "$kdir"/kernel/drivers/bluetooth "$kdir"/kernel/net/nfc \
    "$kdir"/kernel/drivers/nfc "$kdir"/kernel/drivers/infiniband "$kdir"/kernel/net/wireless
  depmod "$k"
done

# Swap is never enabled: no swap units, and no partition is auto-discovered and used.
systemctl mask swap.target
mkdir -p /etc/systemd/system-generators  # absent in a fresh root; git keeps no empty folder
ln -sf /dev/null /etc/systemd/system-generators/systemd-gpt-auto-generator
# No network configuration of any kind; radios stay blocked (no saved state is restored).
# avahi-daemon comes only as a dependency of ipp-usb, whose DNS-SD is off (below): nothing to announce.
for unit in systemd-networkd.service systemd-networkd.socket systemd-networkd-wait-online.service \
  systemd-rfkill.service systemd-rfkill.socket avahi-daemon.service avahi-daemon.socket; do
  systemctl mask "$unit"
done
systemctl enable ceremony-rfkill.service ceremony-image-id.service ceremony-session.service \
  ceremony-selftest.service ceremony-printers.service
systemctl mask getty@tty1.service  # tty1 is the ceremony session's
systemctl set-default multi-user.target

# CUPS: local only, keeps no copy of printed sheets, spool in RAM (see /etc/fstab).
conf=/etc/cups/cupsd.conf
sed -i -e 's/^Browsing .*/Browsing No/' "$conf"
printf '%s\n' 'PreserveJobFiles No' 'PreserveJobHistory No' >>"$conf"
# ipp-usb serves IPP-over-USB printers on loopback only and announces nothing (no avahi here).
sed -i -e 's/^\(\s*dns-sd\s*=\s*\)enable/\1disable/' -e 's/^\(\s*interface\s*=\s*\)all/\1loopback/' \
  /etc/ipp-usb/ipp-usb.conf
grep -Eq '^\s*dns-sd\s*=\s*disable' /etc/ipp-usb/ipp-usb.conf
grep -Eq '^\s*interface\s*=\s*loopback' /etc/ipp-usb/ipp-usb.conf

# Kernel and initramfs with live-boot; reproducible under SOURCE_DATE_EPOCH.
update-initramfs -u -k all

# ssl-cert makes a random "snakeoil" key pair at install time: it differs between two builds and
# would be one private key on every stick. Nothing in the image uses it.
rm -f /etc/ssl/certs/ssl-cert-snakeoil.pem /etc/ssl/private/ssl-cert-snakeoil.key

# apt leaves its download folder owned by _apt, or by root when _apt could not read the local
# repository (a checkout under a folder closed to others): one owner, whatever the checkout.
chown _apt:root /var/cache/apt/archives/partial

# Leftovers that would differ between two builds or are not needed at run time (apt keeps a
# copy of every .deb it took from the local repository: 212 MB).
rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /var/cache/apt/*.bin \
  /var/cache/debconf/*-old /var/lib/dpkg/*-old /var/log/* /var/cache/fontconfig/* /var/cache/ldconfig/aux-cache /etc/machine-id \
  /var/lib/dbus/machine-id /root/.cache /tmp/* /var/tmp/*
: >/etc/machine-id
