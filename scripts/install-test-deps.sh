#!/usr/bin/env bash
# Installs what the differential tests need from Debian's packages, only when something is missing:
# gcc and binutils (the ground truth), make and Debian's linux-headers-amd64 (the kernel tests build a
# probe module with kbuild), Debian's cross compilers for the other Linux targets, clang (MSVC layouts),
# dwarves (pahole -J for BTF) and bpftool. Run as root (CI is); elsewhere it says what is missing and
# those tests skip.
set -euo pipefail
need=()
command -v gcc >/dev/null || need+=(gcc)
command -v objcopy >/dev/null || need+=(binutils)
command -v make >/dev/null || need+=(make)
command -v clang >/dev/null || need+=(clang)
command -v pahole >/dev/null || need+=(dwarves)
command -v bpftool >/dev/null || need+=(bpftool)
if [ "$(uname -m)" = x86_64 ] && ! ls -d /usr/src/linux-headers-*-amd64 >/dev/null 2>&1; then need+=(linux-headers-amd64); fi
# Cross compilers for the other targets' differential tests (issue 4), with their C libraries' headers.
for pair in i686-linux-gnu:i386 aarch64-linux-gnu:arm64 arm-linux-gnueabihf:armhf riscv64-linux-gnu:riscv64 powerpc64le-linux-gnu:ppc64el s390x-linux-gnu:s390x; do
  triple=${pair%%:*}; arch=${pair##*:}
  command -v "$triple-gcc" >/dev/null || need+=("gcc-$triple" "libc6-dev-$arch-cross")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing test prerequisites: ${need[*]}" >&2
    # A failed install leaves the tests that need the package to skip; it does not stop the suite.
    apt-get update -qq >&2 || echo "warning: apt-get update failed" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 || echo "warning: could not install ${need[*]}" >&2
  else
    echo "warning: missing ${need[*]}; tests that need them will be skipped" >&2
  fi
fi

# An arm64 kernel build tree for `--kernel` on another architecture: Debian's linux-headers-*-arm64,
# unpacked (not installed) into .cache/, next to the amd64 package's -common source tree.
if [ "$(uname -m)" = x86_64 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ ! -d .cache/kernel-arm64/usr/src ]; then
  common=$(ls -d /usr/src/linux-headers-*-common 2>/dev/null | tail -n 1 || true)
  if [ -n "$common" ]; then
    abi=$(basename "$common" | sed -e 's/^linux-headers-//' -e 's/-common$//')
    dpkg --print-foreign-architectures | grep -qx arm64 || { dpkg --add-architecture arm64 && apt-get update -qq >&2 || true; }
    mkdir -p .cache/kernel-arm64
    ( cd .cache/kernel-arm64 && apt-get download -qq "linux-headers-$abi-arm64:arm64" >&2 2>/dev/null && dpkg-deb -x ./*.deb . && rm -f ./*.deb ) || echo "warning: could not fetch linux-headers-$abi-arm64; the arm64 kernel test will skip" >&2
  fi
fi

# Debian's own kernel image for the BTF tests: linux-image-$abi-amd64 (the ABI of the installed
# headers), downloaded (not installed) and reduced to what the tests read, in .cache/kernel-image-amd64:
# the .BTF section of the vmlinux inside the bzImage (vmlinux.btf, and vmlinux: an ELF holding only that
# section), and ip_vs.ko (split BTF over it).
image=.cache/kernel-image-amd64
if [ "$(uname -m)" = x86_64 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && { [ ! -f "$image/vmlinux.btf" ] || [ ! -f "$image/vmlinux" ]; }; then
  common=$(ls -d /usr/src/linux-headers-*-common 2>/dev/null | tail -n 1 || true)
  if [ -n "$common" ]; then
    abi=$(basename "$common" | sed -e 's/^linux-headers-//' -e 's/-common$//')
    command -v xz >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends xz-utils >&2 || true
    if ! bash scripts/unpack-kernel-image.sh "linux-image-$abi-amd64" "$image" >&2; then
      echo "warning: could not unpack linux-image-$abi-amd64; the Debian BTF test will skip" >&2
      rm -rf "$image"
    fi
  fi
fi
