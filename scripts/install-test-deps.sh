#!/usr/bin/env bash
# Installs what the differential tests need from Debian's packages, only when something is missing:
# gcc and binutils (the ground truth), make and Debian's linux-headers-amd64 (the kernel tests build a
# probe module with kbuild), Debian's cross compilers for the other Linux targets, clang (MSVC layouts),
# dwarves (pahole -J for BTF), bpftool and chromium (the web page's browser tests); then Debian's arm64
# kernel headers and amd64 kernel image, unpacked into .cache/. docs/testing.md lists every change it
# makes to the system; each is printed as it is made. As root or in CI (CI set, not "false") a
# prerequisite that cannot be had is an error (exit 1), never a quiet skip; elsewhere it says what is
# missing and those tests skip (listed at the end of the run).
set -euo pipefail
say() { echo "install-test-deps: $*" >&2; }
root=0; [ "$(id -u)" = 0 ] && root=1
ci=0; [ -n "${CI:-}" ] && [ "${CI}" != false ] && ci=1
strict=$((root | ci))
failed=()
# A prerequisite that could not be had: an error when strict, a warning otherwise.
missing() {
  local what=$1; shift
  if [ "$strict" = 1 ]; then say "error: $*"; failed+=("$what"); else say "warning: $* (the tests that need it will be skipped)"; fi
}
# How long to wait for another apt or dpkg to release its lock (seconds).
wait_lock=${LAYOUTOF_APT_LOCK_WAIT:-300}
# apt-get, waiting for the dpkg lock (apt's DPkg::Lock::Timeout) and retrying while another apt holds
# the lists or archives lock (apt-get update does not wait for those), up to $wait_lock seconds.
aptget() {
  local deadline=$((SECONDS + wait_lock)) log
  log=$(mktemp)
  while :; do
    if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$wait_lock" "$@" 2>"$log"; then rm -f "$log"; return 0; fi
    if grep -qi 'lock' "$log" && [ "$SECONDS" -lt "$deadline" ]; then
      say "apt-get $1: another apt holds the lock; retrying ($((deadline - SECONDS)) s left)"
      sleep "$(( deadline - SECONDS < 5 ? 1 : 5 ))"
      continue
    fi
    cat "$log" >&2; rm -f "$log"
    return 1
  done
}

# What is missing: Debian package -> the command that shows it is installed (:headers: the tree).
declare -A pkgs=()
want() { command -v "$2" >/dev/null || pkgs[$1]=$2; }
pc_has() { command -v pkg-config >/dev/null && pkg-config --exists "$1"; }
want gcc gcc
want binutils objcopy
want make make
want clang clang
want dwarves pahole
want bpftool bpftool
# The web page's browser tests (test/picture/browser.test.ts): Debian's chromium, driven by playwright-core.
want chromium chromium
headers() { ls -d /usr/src/linux-headers-*-amd64 >/dev/null 2>&1; }
amd64=0; [ "$(uname -m)" = x86_64 ] && amd64=1
[ "$amd64" = 1 ] && ! headers && pkgs[linux-headers-amd64]=:headers
# Cross compilers for the other targets' differential tests (issue 4), with their C libraries' headers.
for pair in i686-linux-gnu:i386 aarch64-linux-gnu:arm64 arm-linux-gnueabihf:armhf riscv64-linux-gnu:riscv64 powerpc64le-linux-gnu:ppc64el s390x-linux-gnu:s390x; do
  triple=${pair%%:*}; arch=${pair##*:}
  command -v "$triple-gcc" >/dev/null || { pkgs[gcc-$triple]=$triple-gcc; pkgs[libc6-dev-$arch-cross]=$triple-gcc; }
done
# Third-party libraries' headers for test/thirdparty/ (issue 22), each checked by its pkg-config module.
want pkg-config pkg-config
for pair in libglib2.0-dev:gio-2.0 libgtk-3-dev:gtk+-3.0 libvulkan-dev:vulkan libxcb1-dev:xcb libx11-dev:x11 \
    libavcodec-dev:libavcodec libssl-dev:openssl libsystemd-dev:libsystemd liburing-dev:liburing libibverbs-dev:libibverbs libdrm-dev:libdrm; do
  pc_has "${pair##*:}" || pkgs[${pair%%:*}]=":pc:${pair##*:}"
done
can_apt=0; [ "$root" = 1 ] && command -v apt-get >/dev/null && can_apt=1
if [ ${#pkgs[@]} -gt 0 ]; then
  need=$(printf '%s\n' "${!pkgs[@]}" | sort | tr '\n' ' '); need=${need% }
  if [ "$can_apt" = 1 ]; then
    say "system change: apt-get update, apt-get install $need"
    aptget update -qq >&2 || say "warning: apt-get update failed; installing from the package lists there are"
    aptget install -y -qq --no-install-recommends ${need} >&2 || say "apt-get install failed"
    for p in "${!pkgs[@]}"; do
      if [ "${pkgs[$p]}" = :headers ]; then headers || missing "$p" "$p is still not installed"
      elif [ "${pkgs[$p]#:pc:}" != "${pkgs[$p]}" ]; then pc_has "${pkgs[$p]#:pc:}" || missing "$p" "$p is still not installed (no pkg-config ${pkgs[$p]#:pc:})"
      else command -v "${pkgs[$p]}" >/dev/null || missing "$p" "$p is still not installed (no ${pkgs[$p]})"; fi
    done
  else
    for p in $need; do missing "$p" "$p is not installed, and only root can install it (apt-get install $p)"; done
  fi
fi

# The same libraries for two cross targets (test/thirdparty/third-party.test.ts compares them with the
# cross gcc): Debian's multiarch -dev packages (libglib2.0-dev:arm64, ...), co-installable with the
# amd64 ones, each checked by the target's own pkg-config directory. Needs dpkg --add-architecture.
libs="libglib2.0-dev:gio-2.0 libgtk-3-dev:gtk+-3.0 libvulkan-dev:vulkan libxcb1-dev:xcb libx11-dev:x11 libavcodec-dev:libavcodec libssl-dev:openssl libsystemd-dev:libsystemd liburing-dev:liburing libibverbs-dev:libibverbs libdrm-dev:libdrm"
if [ "$amd64" = 1 ] && command -v pkg-config >/dev/null; then
  cross=()
  for pair in arm64:aarch64-linux-gnu i386:i386-linux-gnu; do
    arch=${pair%%:*}; multiarch=${pair##*:}
    for lib in $libs; do
      PKG_CONFIG_LIBDIR=/usr/lib/$multiarch/pkgconfig:/usr/share/pkgconfig pkg-config --exists "${lib##*:}" ||
        cross+=("${lib%%:*}:$arch")
    done
  done
  if [ ${#cross[@]} -gt 0 ]; then
    if [ "$can_apt" = 1 ]; then
      for arch in arm64 i386; do
        if printf '%s\n' "${cross[@]}" | grep -q ":$arch\$" && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
          say "system change: dpkg --add-architecture $arch"
          dpkg --add-architecture "$arch" || missing "$arch" "dpkg --add-architecture $arch failed"
          added=1
        fi
      done
      [ "${added:-0}" = 1 ] && { aptget update -qq >&2 || say "warning: apt-get update failed"; }
      say "system change: apt-get install ${cross[*]}"
      aptget install -y -qq --no-install-recommends "${cross[@]}" >&2 || say "apt-get install of the cross -dev packages failed"
      for pair in arm64:aarch64-linux-gnu i386:i386-linux-gnu; do
        arch=${pair%%:*}; multiarch=${pair##*:}
        for lib in $libs; do
          PKG_CONFIG_LIBDIR=/usr/lib/$multiarch/pkgconfig:/usr/share/pkgconfig pkg-config --exists "${lib##*:}" ||
            missing "${lib%%:*}:$arch" "${lib%%:*}:$arch is still not installed (no pkg-config ${lib##*:} in /usr/lib/$multiarch/pkgconfig)"
        done
      done
    else
      for p in "${cross[@]}"; do missing "$p" "$p is not installed, and only root can install it (dpkg --add-architecture ${p##*:}; apt-get install $p)"; done
    fi
  fi
fi

# Debian's kernel ABI of the installed headers (6.1.0-57 of linux-headers-6.1.0-57-common).
common=$(ls -d /usr/src/linux-headers-*-common 2>/dev/null | tail -n 1 || true)
abi=$(basename "${common:-none}" | sed -e 's/^linux-headers-//' -e 's/-common$//')

# An arm64 kernel build tree for `--kernel` on another architecture: Debian's linux-headers-*-arm64,
# unpacked (not installed) into .cache/, next to the amd64 package's -common source tree.
if [ "$amd64" = 1 ] && [ ! -d .cache/kernel-arm64/usr/src ] && [ -n "$common" ]; then
  if [ "$can_apt" = 1 ]; then
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
      say "system change: dpkg --add-architecture arm64, apt-get update (to download arm64 packages; none is installed)"
      dpkg --add-architecture arm64 && aptget update -qq >&2 || say "apt-get update for arm64 failed"
    fi
    mkdir -p .cache/kernel-arm64
    ( cd .cache/kernel-arm64 && aptget download -qq "linux-headers-$abi-arm64:arm64" >&2 && dpkg-deb -x ./*.deb . && rm -f ./*.deb ) ||
      missing "linux-headers-$abi-arm64" "could not fetch linux-headers-$abi-arm64 into .cache/kernel-arm64"
    [ -d .cache/kernel-arm64/usr/src ] || rm -rf .cache/kernel-arm64
  else
    missing "linux-headers-$abi-arm64" "linux-headers-$abi-arm64 is not in .cache/kernel-arm64, and only root can fetch it (it needs dpkg --add-architecture arm64)"
  fi
fi

# Debian's own kernel image for the BTF tests: linux-image-$abi-amd64 (the ABI of the installed
# headers), downloaded (not installed) and reduced to what the tests read, in .cache/kernel-image-amd64:
# the .BTF section of the vmlinux inside the bzImage (vmlinux.btf, and vmlinux: an ELF holding only that
# section), and ip_vs.ko (split BTF over it).
image=.cache/kernel-image-amd64
if [ "$amd64" = 1 ] && [ -n "$common" ] && { [ ! -f "$image/vmlinux.btf" ] || [ ! -f "$image/vmlinux" ]; }; then
  if [ "$can_apt" = 1 ]; then
    if ! command -v xz >/dev/null; then
      say "system change: apt-get install xz-utils"
      aptget install -y -qq --no-install-recommends xz-utils >&2 || true
    fi
    if ! bash scripts/unpack-kernel-image.sh "linux-image-$abi-amd64" "$image" >&2; then
      rm -rf "$image"
      missing "linux-image-$abi-amd64" "could not unpack linux-image-$abi-amd64 into $image"
    fi
  else
    missing "linux-image-$abi-amd64" "linux-image-$abi-amd64 is not unpacked in $image, and only root can fetch it"
  fi
fi

# A real project for test/thirdparty/sqlite-project.test.ts: the SQLite amalgamation inside the
# better-sqlite3 npm package (a pinned version), unpacked into .cache/sqlite-amalgamation.
sqlite=.cache/sqlite-amalgamation
if [ ! -f "$sqlite/sqlite3.c" ]; then
  tmp=$(mktemp -d)
  if command -v npm >/dev/null && ( cd "$tmp" && npm pack --silent better-sqlite3@12.4.1 >/dev/null ) &&
     mkdir -p "$sqlite" && tar xzf "$tmp"/better-sqlite3-12.4.1.tgz -C "$sqlite" --strip-components=3 \
       package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h package/deps/sqlite3/sqlite3ext.h; then
    say "fetched the SQLite amalgamation (npm better-sqlite3@12.4.1) into $sqlite"
  else
    rm -rf "$sqlite"
    missing better-sqlite3 "could not fetch the SQLite amalgamation (npm pack better-sqlite3@12.4.1) into $sqlite"
  fi
  rm -rf "$tmp"
fi

if [ ${#failed[@]} -gt 0 ]; then
  say "error: test prerequisites missing: ${failed[*]}; $( [ "$ci" = 1 ] && echo 'CI is set' || echo 'running as root' ): a missing prerequisite fails the run"
  exit 1
fi
