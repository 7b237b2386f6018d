#!/usr/bin/env bash
# `make image-verify`: rebuild this commit as a second party would, and compare the two ISOs.
# The second build runs in a fresh clone at another path, with a cold package cache filled
# only from the published one (build/debs, no download), the published wheels
# (build/image-wheelhouse and the pinned build backend; the project's own wheel rebuilt), the
# clock three days ahead (faketime; the package installation in the chroot keeps the real
# clock), another time zone, another locale and another umask. Same SHA-256: reproduced. Otherwise the per-file listings
# of both builds (ISO.contents) say which file of the squashfs, the initramfs, the ISO tree or
# the EFI boot partition differs.
#   VERIFY_DIR=DIR   where the second checkout goes (default /var/tmp/ceremony-verify-<time>)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
first=build/ceremony-live.iso
[ -f "$first" ] && [ -f "$first.contents" ] \
  || { echo "image-verify: no $first (with .contents): run 'make image' first" >&2; exit 2; }
commit=$(git rev-parse HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] \
  || { echo "image-verify: the checkout has uncommitted changes; commit them, then make image" >&2; exit 2; }
probe=$(mktemp -d)
xorriso -osirrox on -indev "$first" -extract /.disk/ceremony-image "$probe/id" >/dev/null 2>&1 || true
built=$(sed -n 's/^commit=//p' "$probe/id" 2>/dev/null || true)
rm -rf "$probe"
[ "$built" = "$commit" ] \
  || { echo "image-verify: $first is of commit '$built', not $commit: run 'make image' first" >&2; exit 2; }
need=()
command -v faketime >/dev/null || need+=(faketime)
[ -e /usr/share/i18n/locales/de_DE ] || need+=(locales)  # localedef's source of de_DE.UTF-8
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "image-verify: as root run: apt-get install ${need[*]}" >&2; exit 2; }
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

dir=${VERIFY_DIR:-/var/tmp/ceremony-verify-$(date +%s)}
second=$dir/second-checkout
rm -rf "$dir"
mkdir -p "$dir"
(umask 027 && git clone --quiet --no-local "$repo" "$second" \
  && git -C "$second" checkout --quiet --detach "$commit")
# The published wheels, less the project's own wheel, which the second build makes itself.
mkdir -p "$second/build/image-wheelhouse"
find build/image-wheelhouse -maxdepth 1 -name '*.whl' ! -name 'custodian_ceremony-*' \
  -exec cp {} "$second/build/image-wheelhouse/" \;
[ ! -d build/backend-wheels ] || cp -r build/backend-wheels "$second/build/backend-wheels"
# A locale this machine does not otherwise have, compiled into the verify folder.
mkdir -p "$dir/locale"
localedef -i de_DE -f UTF-8 "$dir/locale/de_DE.UTF-8" \
  || { echo "image-verify: could not make the de_DE.UTF-8 locale (apt-get install locales)" >&2; exit 2; }

echo "image-verify: second build of $commit in $second"
echo "image-verify: clock +3 days (faketime), TZ=Pacific/Kiritimati, LANG=de_DE.UTF-8, umask 027,"
echo "image-verify: packages only from $repo/build/debs"
start=$(date +%s)
(cd "$second" && umask 027 && env TZ=Pacific/Kiritimati LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 \
  LOCPATH="$dir/locale" IMAGE_DEBS_FROM="$repo/build/debs" PY="$repo/.venv/bin/python" \
  faketime -f '+3d' bash image/build.sh) 2>&1 | sed 's/^/  second: /'
seconds=$(($(date +%s) - start))
echo "image-verify: second build took $seconds s"

a=$(sha256sum "$first" | cut -c1-64)
b=$(sha256sum "$second/build/ceremony-live.iso" | cut -c1-64)
echo "image-verify: first  $a  $(stat -c %s "$first") bytes  $repo/$first"
echo "image-verify: second $b  $(stat -c %s "$second/build/ceremony-live.iso") bytes  $second/build/ceremony-live.iso"
same=false
[ "$a" = "$b" ] && same=true
printf '{"commit": "%s", "first_sha256": "%s", "second_sha256": "%s", "reproduced": %s, "second_build_s": %s, "iso_bytes": %s}\n' \
  "$commit" "$a" "$b" "$same" "$seconds" "$(stat -c %s "$first")" >build/image-verify.json
if [ "$a" = "$b" ]; then
  echo "image-verify: REPRODUCED: the two ISOs are identical, byte for byte"
  exit 0
fi
echo "image-verify: DIFFERENT. Where (squashfs = rootfs, initramfs, iso tree, efi partition):"
python3 image/contents.py diff "$first.contents" "$second/build/ceremony-live.iso.contents" \
  | head -200 || true
if python3 image/contents.py diff "$first.contents" "$second/build/ceremony-live.iso.contents" \
  >/dev/null; then
  echo "image-verify: every file is the same: the difference is in how a container was laid out"
  echo "image-verify: (squashfs, FAT or ISO 9660 metadata); compare with diffoscope if installed"
fi
exit 1
