#!/usr/bin/env bash
# unpack-kernel-image.sh PACKAGE DIR: downloads a Debian linux-image package and leaves in DIR only
# the .BTF section of the vmlinux compressed inside /boot/vmlinuz-*, twice: vmlinux.btf (the raw blob)
# and vmlinux (an ELF that objcopy reduced to that section, 5 MB instead of 66), and ip_vs.ko.
# The bzImage holds the kernel as one compressed stream after its setup code: find the stream's magic
# and decompress from there (the decompressor stops at the stream's end; what follows is ignored).
set -euo pipefail
pkg=$1 dir=$2
mkdir -p "$dir"
cd "$dir"
rm -rf work && mkdir work && cd work
apt-get download -qq "$pkg" 2>/dev/null
dpkg-deb --fsys-tarfile ./*.deb | tar -x --wildcards './boot/vmlinuz-*' '*/ipvs/ip_vs.ko*'
bz=$(ls ./boot/vmlinuz-* | head -n 1)
offset() { LC_ALL=C grep -abo -m1 "$1" "$bz" 2>/dev/null | head -n 1 | cut -d: -f1; }
vmlinux=
for fmt in xz zstd gzip; do
  case $fmt in
    xz) magic=$'\xfd7zXZ\x00'; cmd=(xz -dc) ;;
    zstd) magic=$'\x28\xb5\x2f\xfd'; cmd=(zstd -dc) ;;
    gzip) magic=$'\x1f\x8b\x08'; cmd=(gzip -dc) ;;
  esac
  at=$(offset "$magic" || true)
  [ -n "$at" ] && command -v "${cmd[0]}" >/dev/null || continue
  tail -c +$((at + 1)) "$bz" | "${cmd[@]}" > vmlinux 2>/dev/null || true
  if [ "$(head -c 4 vmlinux | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then vmlinux=vmlinux; break; fi
done
[ -n "$vmlinux" ] || { echo "no ELF kernel found inside $bz" >&2; exit 1; }
readelf -S -W vmlinux | grep ' \.BTF ' >/dev/null || { echo "the vmlinux inside $bz has no .BTF section" >&2; exit 1; }
objcopy -O binary --only-section=.BTF vmlinux ../vmlinux.btf
objcopy --only-section=.BTF vmlinux ../vmlinux 2>/dev/null  # warns about the emptied segments
ko=$(find . -name 'ip_vs.ko*' | head -n 1)
case $ko in
  *.xz) xz -dc "$ko" > ../ip_vs.ko ;;
  *.zst) zstd -dc "$ko" > ../ip_vs.ko ;;
  *) cp "$ko" ../ip_vs.ko ;;
esac
cd .. && rm -rf work
[ -s vmlinux.btf ] && [ -s vmlinux ] && [ -s ip_vs.ko ]
