#!/usr/bin/env bash
# `make image`: build/ceremony-live.iso, a hybrid BIOS/UEFI live ISO that boots straight
# into the ceremony. Debian 12 packages pinned by image/packages.lock, the app from the
# hash-checked wheelhouse, every date taken from the commit (SOURCE_DATE_EPOCH), so two
# builds of one commit give the same bytes.
#   UPDATE_LOCK=1  resolve image/packages.txt afresh and rewrite image/packages.lock
#   PY=...         the Python that builds the wheelhouse (default .venv/bin/python)
#   REUSE_ROOTFS=1 (while working on the boot steps) keep build/image/rootfs from the last build,
#                  lay image/rootfs over it and reinstall this commit's wheel; for testing only
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${IMAGE_WORK:-build/image}
iso=${IMAGE_OUT:-build/ceremony-live.iso}
lock=image/packages.lock
mirror=http://deb.debian.org/debian
security=http://deb.debian.org/debian-security
cmdline="boot=live toram quiet systemd.gpt_auto=0 systemd.swap=0 rfkill.default_state=0 nohibernate"

# The build tools come from this machine (docs/ceremony-image.md): install what is missing.
tools=(mmdebstrap:mmdebstrap mksquashfs:squashfs-tools xorriso:xorriso grub-mkimage:grub-common
       /usr/lib/grub/i386-pc/boot_hybrid.img:grub-pc-bin /usr/lib/grub/x86_64-efi/kernel.img:grub-efi-amd64-bin
       mcopy:mtools mkfs.fat:dosfstools)
missing=()
for pair in "${tools[@]}"; do
  tool=${pair%%:*}
  if [[ $tool == /* ]]; then [ -e "$tool" ] || missing+=("${pair#*:}")
  else command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || [ -x "/sbin/$tool" ] || missing+=("${pair#*:}"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "image: missing build tools; as root run: apt-get install ${missing[*]}" >&2
    exit 2
  fi
  echo "image: installing the build tools: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ "$(id -u)" = 0 ] || { echo "image: mmdebstrap builds the root file system as root: run as root" >&2; exit 2; }

commit=$(git rev-parse HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] || commit="$commit-dirty"
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct HEAD)
export SOURCE_DATE_EPOCH LC_ALL=C.UTF-8 TZ=UTC
umask 022
stamp=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d%H%M%S00)
t0=$(date +%s)
say() { echo "image: [$(($(date +%s) - t0)) s] $*"; }

if [ -n "${REUSE_ROOTFS:-}" ]; then
  rm -rf "$work/iso"
  tar -C image/rootfs --owner=0 --group=0 --mode=u=rwX,go=rX -cf - . | tar -C "$work/rootfs" -xf -
else
  rm -rf "$work"
fi
mkdir -p "$work"/iso/live "$work"/iso/boot/grub "$work"/iso/.disk "$work"/rootfs
work=$(cd "$work" && pwd)

# The wheel cache outlives the build folder; every wheel is re-checked against the lock.
say "wheelhouse (hash-checked wheels + this commit's wheel)"
PY=${PY:-.venv/bin/python} bash scripts/wheelhouse.sh build/image-wheelhouse 2>&1 \
  | grep -v '^WARNING: Location' || true
rm -rf "$work/wheelhouse"
cp -r build/image-wheelhouse "$work/wheelhouse"

cat >"$work/identity" <<ID
name=Custodian Ceremony live image
commit=$commit
source_date_epoch=$SOURCE_DATE_EPOCH
debian=12 (bookworm), packages: image/packages.lock sha256 $( [ -f "$lock" ] && sha256sum "$lock" | cut -c1-64 || echo none)
wheelhouse_sha256sums=$(sha256sum "$work/wheelhouse/SHA256SUMS" | cut -c1-64)
ID

# Files laid over the root, with ownership and modes that do not depend on this checkout.
tar -C image/rootfs --sort=name --owner=0 --group=0 --numeric-owner --mode=u=rwX,go=rX \
  --mtime="@$SOURCE_DATE_EPOCH" -cf "$work/overlay.tar" .

if [ -f "$lock" ] && [ -z "${UPDATE_LOCK:-}" ]; then
  mapfile -t wanted < <(grep -v '^#' "$lock" | grep -v '^$')
else
  mapfile -t wanted < <(grep -v '^#' image/packages.txt | grep -v '^$')
fi
include=$(IFS=,; echo "${wanted[*]}")

if [ -n "${REUSE_ROOTFS:-}" ]; then
  # The app itself changes most often: put this commit's wheel in place of the old one.
  say "REUSE_ROOTFS: reinstalling this commit's wheel into the old root file system"
  cp "$work"/wheelhouse/custodian_ceremony-*.whl "$work/rootfs/tmp/"
  chroot "$work/rootfs" /opt/ceremony/bin/python -m pip install --quiet --no-index --no-deps \
    --force-reinstall /tmp/"$(basename "$work"/wheelhouse/custodian_ceremony-*.whl)"
  rm -f "$work"/rootfs/tmp/custodian_ceremony-*.whl
  cp "$work/identity" "$work/rootfs/etc/ceremony-image"
else
say "root file system: ${#wanted[@]} packages (mmdebstrap)"
nice -n 15 mmdebstrap --variant=essential --mode=root --quiet \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --include="$include" \
  --customize-hook="tar-in $work/overlay.tar /" \
  --customize-hook="copy-in $work/identity /etc" \
  --customize-hook="mv \"\$1/etc/identity\" \"\$1/etc/ceremony-image\"" \
  --customize-hook="mkdir -p \"\$1/tmp/wheelhouse\"" \
  --customize-hook="sync-in $work/wheelhouse /tmp/wheelhouse" \
  --customize-hook="copy-in image/customize.sh /tmp" \
  --customize-hook="chroot \"\$1\" /bin/bash /tmp/customize.sh" \
  --customize-hook="rm -f \"\$1/tmp/customize.sh\"" \
  --customize-hook="chroot \"\$1\" dpkg-query -W -f='\${Package}=\${Version}\n' | sort >$work/installed.lock" \
  bookworm "$work/rootfs" \
  "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"

if [ -f "$lock" ] && [ -z "${UPDATE_LOCK:-}" ]; then
  if ! diff -u <(grep -v '^#' "$lock" | grep -v '^$') "$work/installed.lock"; then
    echo "image: the installed packages differ from $lock (above); run 'make image-lock' and review" >&2
    exit 1
  fi
else
  { echo "# Every Debian package in the ceremony image, pinned. Generated by 'make image-lock'"
    echo "# from image/packages.txt; review changes like code."
    cat "$work/installed.lock"; } >"$lock"
  say "wrote $lock ($(wc -l <"$work/installed.lock") packages)"
fi
fi

say "kernel, initramfs, squashfs"
cp "$work"/rootfs/boot/vmlinuz-* "$work/iso/live/vmlinuz"
cp "$work"/rootfs/boot/initrd.img-* "$work/iso/live/initrd.img"
nice -n 15 mksquashfs "$work/rootfs" "$work/iso/live/filesystem.squashfs" -noappend -quiet \
  -comp zstd -Xcompression-level 15 -b 1M -processors 2 -wildcards -e 'boot/*' \
  -mkfs-time "$SOURCE_DATE_EPOCH" -all-time "$SOURCE_DATE_EPOCH" >/dev/null

say "boot loaders (GRUB for BIOS and UEFI)"
cp "$work/identity" "$work/iso/.disk/ceremony-image"
sed "s|@CMDLINE@|$cmdline|" image/grub.cfg.in >"$work/iso/boot/grub/grub.cfg"
common=(normal configfile linux search search_fs_file echo test serial terminal part_msdos part_gpt iso9660)
grub-mkimage -O i386-pc-eltorito -p /boot/grub -c image/grub-early.cfg \
  -o "$work/iso/boot/grub/bios.img" "${common[@]}" biosdisk
grub-mkimage -O x86_64-efi -p /boot/grub -c image/grub-early.cfg \
  -o "$work/BOOTX64.EFI" "${common[@]}" fat efi_gop efi_uga all_video
efi_kib=$(( ($(stat -c %s "$work/BOOTX64.EFI") / 1024 + 256) / 32 * 32 ))
rm -f "$work/iso/boot/grub/efi.img"  # mkfs.fat -C refuses an existing file
mkfs.fat -C --invariant -i 0ce4e3de -n CEREMONYEFI "$work/iso/boot/grub/efi.img" "$efi_kib" >/dev/null
touch -d "@$SOURCE_DATE_EPOCH" "$work/BOOTX64.EFI"
mmd -i "$work/iso/boot/grub/efi.img" ::/EFI ::/EFI/BOOT
mcopy -m -i "$work/iso/boot/grub/efi.img" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
find "$work/iso" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

say "ISO (xorriso)"
rm -f "$iso"
nice -n 15 xorriso -as mkisofs -quiet -iso-level 3 -full-iso9660-filenames -r \
  -volid CEREMONY_LIVE -appid "Custodian Ceremony $commit" \
  --modification-date="$stamp" \
  -b boot/grub/bios.img -no-emul-boot -boot-load-size 4 -boot-info-table --grub2-boot-info \
  --grub2-mbr /usr/lib/grub/i386-pc/boot_hybrid.img \
  --efi-boot boot/grub/efi.img -efi-boot-part --efi-boot-image --protective-msdos-label \
  -o "$iso" "$work/iso"
(cd "$(dirname "$iso")" && sha256sum "$(basename "$iso")" >"$(basename "$iso").sha256")
say "done: $iso, $(stat -c %s "$iso") bytes, sha256 $(cut -c1-64 "$iso.sha256")"
