#!/usr/bin/env bash
# `make image`: build/ceremony-live.iso, a hybrid BIOS/UEFI live ISO that boots straight
# into the ceremony. Every Debian package is a file named in image/packages.lock (name,
# version, architecture, SHA-256): the build fetches exactly those, checks every hash, and
# mmdebstrap sees only them (a local repository), so it resolves nothing of its own. The app
# comes from the hash-checked wheelhouse, every date from the commit (SOURCE_DATE_EPOCH):
# two builds of one commit give the same bytes, on another machine and another day.
#   UPDATE_LOCK=1      (make image-lock) resolve image/packages.txt against Debian's current
#                      archive, rewrite image/packages.lock and fill the package cache; no ISO
#   IMAGE_DEBS=DIR     the package cache (default build/debs): publish it beside the ISO
#   IMAGE_DEBS_FROM=DIR fill the cache only from this published folder, never from Debian
#   PY=...             the Python that builds the wheelhouse (default .venv/bin/python)
#   REUSE_ROOTFS=1     (while working on the boot steps) keep build/image/rootfs from the last
#                      build, lay image/rootfs over it and reinstall this commit's wheel
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${IMAGE_WORK:-build/image}
iso=${IMAGE_OUT:-build/ceremony-live.iso}
lock=image/packages.lock
debs=${IMAGE_DEBS:-build/debs}
index_cache=build/debian-index
mirror=http://deb.debian.org/debian
security=http://deb.debian.org/debian-security
cmdline="boot=live toram quiet systemd.gpt_auto=0 systemd.swap=0 rfkill.default_state=0 nohibernate"
# libfaketime (image-verify's second build) stays on this side: the chroot has no copy of it.
real_clock=(env -u LD_PRELOAD -u FAKETIME)
debian_lock() { "${real_clock[@]}" python3 image/debian_lock.py "$@"; }

# The build tools come from this machine (docs/ceremony-image.md): install what is missing.
tools=(mmdebstrap:mmdebstrap mksquashfs:squashfs-tools xorriso:xorriso grub-mkimage:grub-common
       /usr/lib/grub/i386-pc/boot_hybrid.img:grub-pc-bin /usr/lib/grub/x86_64-efi/kernel.img:grub-efi-amd64-bin
       mcopy:mtools mkfs.fat:dosfstools unmkinitramfs:initramfs-tools-core gpgv:gpgv
       faketime:faketime /usr/share/keyrings/debian-archive-keyring.gpg:debian-archive-keyring)
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

# The build tools shape the bytes too: say so before starting when they are not the lock's.
if [ -z "${UPDATE_LOCK:-}" ]; then
  [ -f "$lock" ] || { echo "image: no $lock: run 'make image-lock' first" >&2; exit 2; }
  debian_lock tools --lock "$lock"
fi

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

if [ -n "${UPDATE_LOCK:-}" ]; then
  # Resolve afresh against Debian's current archive (security and stable updates included),
  # keep every .deb apt fetched, and lock each by its pool path and SHA-256 from the signed
  # indexes. The root built here is thrown away; `make image` then builds from the lock.
  mapfile -t wanted < <(grep -v '^#' image/packages.txt | grep -v '^$')
  say "resolving ${#wanted[@]} packages against Debian's current archive (mmdebstrap)"
  rm -rf "$work/lock-debs"
  mkdir -p "$work/lock-debs"
  "${real_clock[@]}" nice -n 15 mmdebstrap --variant=essential --mode=root --quiet \
    --aptopt='APT::Install-Recommends "false"' --skip=essential/unlink --skip=cleanup/apt/cache \
    --include="$(IFS=,; echo "${wanted[*]}")" \
    --customize-hook="sync-out /var/cache/apt/archives $work/lock-debs" \
    --customize-hook="chroot \"\$1\" dpkg-query -W -f='\${Package} \${Version} \${Architecture}\n' >$work/lock-installed" \
    bookworm "$work/lock-root" \
    "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
  rm -rf "$work/lock-root"
  debian_lock lock --installed "$work/lock-installed" --debs "$work/lock-debs" --cache "$debs" \
    --index-cache "$index_cache" --out "$lock"
  rm -rf "$work/lock-debs"
  say "review the diff of $lock like code, then run 'make image'"
  exit 0
fi

# The wheel cache outlives the build folder; every wheel is re-checked against the lock.
say "wheelhouse (hash-checked wheels + this commit's wheel)"
PY=${PY:-.venv/bin/python} bash scripts/wheelhouse.sh build/image-wheelhouse 2>&1 \
  | grep -v '^WARNING: Location' || true
rm -rf "$work/wheelhouse"
cp -r build/image-wheelhouse "$work/wheelhouse"

# Never silent about security fixes: what Debian has published since the lock was made.
debian_lock security --lock "$lock" --index-cache "$index_cache" \
  || echo "image: WARNING: could not check bookworm-security and bookworm-updates (above)" >&2
say "package cache: exactly the locked .debs, every SHA-256 checked"
debian_lock fetch --lock "$lock" --cache "$debs" --repo "$work/repo" \
  ${IMAGE_DEBS_FROM:+--published "$IMAGE_DEBS_FROM"}

{ cat <<ID
name=Custodian Ceremony live image
commit=$commit
source_date_epoch=$SOURCE_DATE_EPOCH
debian=12 (bookworm), packages: image/packages.lock sha256 $(sha256sum "$lock" | cut -c1-64)
wheelhouse_sha256sums=$(sha256sum "$work/wheelhouse/SHA256SUMS" | cut -c1-64)
ID
  debian_lock identity --lock "$lock"; } >"$work/identity"

# Files laid over the root, with ownership and modes that do not depend on this checkout.
tar -C image/rootfs --sort=name --owner=0 --group=0 --numeric-owner --mode=u=rwX,go=rX \
  --mtime="@$SOURCE_DATE_EPOCH" -cf "$work/overlay.tar" .

mapfile -t wanted < <(grep -v '^#' "$lock" | grep -v '^$' | cut -d' ' -f1)
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
say "root file system: ${#wanted[@]} locked packages (mmdebstrap, local repository only)"
# apt copies each file from the repository (copy://: no mount of this checkout's path in the
# root); sources.list gets Debian's lines back, and resolv.conf (mmdebstrap copies the
# host's) gets fixed content.
"${real_clock[@]}" nice -n 15 mmdebstrap --variant=essential --mode=root --quiet \
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
  --customize-hook="printf '%s\\n' 'deb $mirror bookworm main' 'deb $mirror bookworm-updates main' 'deb $security bookworm-security main' >\"\$1/etc/apt/sources.list\"" \
  --customize-hook="rm -f \"\$1/etc/resolv.conf\"; : >\"\$1/etc/resolv.conf\"" \
  --customize-hook="chroot \"\$1\" dpkg-query -W -f='\${Package} \${Version} \${Architecture}\n' | sort >$work/installed" \
  bookworm "$work/rootfs" "deb [trusted=yes] copy://$work/repo ./"
# Nothing may name this checkout's path in the image (apt copied the files; nothing mounted).
[ ! -e "$work/rootfs/${work#/}" ] || { echo "image: $work/rootfs/${work#/} left in the root" >&2; exit 1; }

if ! diff -u <(grep -v '^#' "$lock" | grep -v '^$' | cut -d' ' -f1-3 | sort) "$work/installed"; then
  echo "image: the installed packages differ from $lock (above)" >&2
  exit 1
fi
fi

say "kernel, initramfs, squashfs"
cp "$work"/rootfs/boot/vmlinuz-* "$work/iso/live/vmlinuz"
cp "$work"/rootfs/boot/initrd.img-* "$work/iso/live/initrd.img"
# -e takes every argument after it as a name to leave out: it comes last. This mksquashfs
# (4.5.1) takes only the creation time from SOURCE_DATE_EPOCH and refuses it beside the
# options that set every file's time too.
env -u SOURCE_DATE_EPOCH nice -n 15 mksquashfs "$work/rootfs" "$work/iso/live/filesystem.squashfs" \
  -noappend -quiet -comp zstd -Xcompression-level 15 -b 1M -processors 2 \
  -mkfs-time "$SOURCE_DATE_EPOCH" -all-time "$SOURCE_DATE_EPOCH" -wildcards -e 'boot/*' >/dev/null

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
# mtools stamps the folders it makes, and each entry's creation time, with the clock (it
# reads no SOURCE_DATE_EPOCH): the FAT tools run on a clock stopped at the commit's time.
fat_clock=(faketime -f "$(date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%d %H:%M:%S')")
efi=$work/iso/boot/grub/efi.img
"${fat_clock[@]}" mkfs.fat -C --invariant -i 0ce4e3de -n CEREMONYEFI "$efi" "$efi_kib" >/dev/null
touch -d "@$SOURCE_DATE_EPOCH" "$work/BOOTX64.EFI"
"${fat_clock[@]}" mmd -i "$efi" ::/EFI ::/EFI/BOOT
"${fat_clock[@]}" mcopy -m -i "$efi" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
find "$work/iso" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

say "ISO (xorriso)"
rm -f "$iso"
nice -n 15 xorriso -as mkisofs -quiet -iso-level 3 -full-iso9660-filenames -r \
  -volid CEREMONY_LIVE -appid "Custodian Ceremony $commit" \
  --modification-date="$stamp" --set_all_file_dates "$stamp" \
  -b boot/grub/bios.img -no-emul-boot -boot-load-size 4 -boot-info-table --grub2-boot-info \
  --grub2-mbr /usr/lib/grub/i386-pc/boot_hybrid.img \
  --efi-boot boot/grub/efi.img -efi-boot-part --efi-boot-image --protective-msdos-label \
  -o "$iso" "$work/iso"
(cd "$(dirname "$iso")" && sha256sum "$(basename "$iso")" >"$(basename "$iso").sha256")
say "per-file listing for comparisons: $iso.contents"
python3 image/contents.py listing "$work/rootfs" "$work/iso" "$work/iso/live/initrd.img" \
  "$work/iso/boot/grub/efi.img" >"$iso.contents"
digest=$(cut -c1-64 "$iso.sha256")
say "done: $iso, $(stat -c %s "$iso") bytes"
echo "image: SHA-256 $digest"
echo "image: words   $("${PY:-.venv/bin/python}" -c 'import sys; from ceremony.room.image_identity import word_code; print(word_code(sys.argv[1]).upper())' "$digest")"
echo "image: publish the ISO, its .sha256, these words, and the package cache $debs/ beside it"
