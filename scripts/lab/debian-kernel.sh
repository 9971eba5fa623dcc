# shellcheck shell=bash
# Sourced by scripts/kernel-lab: host packages, and the Debian bookworm kernel package for the lab
# (looked up with apt, downloaded once into $lab_dir/cache, extracted with its module index).

host_packages=(qemu-system-x86 busybox-static cpio kmod xz-utils zstd)
apt_updated=0
apt_max_age_min=360  # refresh the package lists at most every 6 h, so "current" stays current

# apt runs under one lock, so parallel labs (6.1 and 6.12 at once) do not fight over apt's own.
apt_locked() { flock "$lab_dir/apt.lock" "$@"; }

apt_update() {
  [ "$apt_updated" = 0 ] || return 0
  apt_updated=1
  log "apt-get update"
  if apt_locked apt-get update -qq > /dev/null; then
    touch "$lab_dir/apt-updated"
  else
    log "warning: apt-get update failed; using the package lists as they are"
  fi
}

apt_update_if_stale() {
  [ -n "$(find "$lab_dir/apt-updated" -mmin -"$apt_max_age_min" 2> /dev/null)" ] || apt_update
}

ensure_host_packages() {
  local missing=() p
  for p in "${host_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  local started=$EPOCHREALTIME
  apt_update
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt_locked apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" > /dev/null
  log "installed in $(seconds_since "$started") s"
}

# resolve_kernel KERNEL: sets $kpkg and $kversion, the newest bookworm package for KERNEL:
#   6.1   what linux-image-amd64 depends on, e.g. linux-image-6.1.0-56-amd64. Not the cloud
#         flavour: it is built without 9p.
#   6.12  what linux-image-6.12-amd64 depends on, e.g. linux-image-6.12.117+deb12-amd64.
resolve_kernel() {
  local meta pattern
  case $1 in
    6.1) meta=linux-image-amd64 pattern='^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
    6.12) meta=linux-image-6.12-amd64 pattern='^linux-image-6\.12\.[0-9]+\+deb12-amd64$' ;;
  esac
  # "Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)"
  kpkg=$(apt-cache show --no-all-versions "$meta" 2> /dev/null | sed -n 's/^Depends: //p' |
    tr ',' '\n' | awk '{print $1}' | grep -E "$pattern" | head -n1) || true
  kversion=""
  [ -z "$kpkg" ] || kversion=$(apt-cache show --no-all-versions "$kpkg" 2> /dev/null |
    sed -n 's/^Version: //p' | head -n1)
  [ -n "$kversion" ]
}

# fetch_kernel KERNEL: sets $kpkg, $kversion, $kdir (this version's directory), $kroot (the
# extracted package) and $release (the kernel release, e.g. 6.1.0-56-amd64).
fetch_kernel() {
  local kernel=$1
  apt_update_if_stale
  # A failed lookup or download may mean old package lists (a point release replaces the package).
  if reuse_resolution "$kernel"; then
    :
  elif ! { resolve_kernel "$kernel" && download_deb; }; then
    apt_update
    resolve_kernel "$kernel" || die 2 "no Debian package for kernel $kernel found:" \
      "apt-cache knows no bookworm linux-image for it; run apt-get update"
    download_deb || die 2 "no Debian package for kernel $kernel found:" \
      "apt-get download $kpkg=$kversion failed; run apt-get update"
  fi
  kdir=$lab_dir/$kernel/${kpkg}_$kversion
  kroot=$kdir/root
  [ -f "$kdir/release" ] || extract_deb "$(deb_path)" "$kdir"
  release=$(cat "$kdir/release")
  echo "$kpkg $kversion" > "$lab_dir/$kernel/VERSION"
  log "Debian $kpkg $kversion"
}

# reuse_resolution KERNEL: apt-cache takes about 0.5 s a call, so keep the last answer (VERSION)
# while the package lists are older than it and that version is still extracted.
reuse_resolution() {
  local version_file=$lab_dir/$1/VERSION
  [ "$version_file" -nt /var/lib/apt/lists ] || return 1
  read -r kpkg kversion < "$version_file" || return 1
  [ -f "$lab_dir/$1/${kpkg}_$kversion/release" ]
}

deb_path() { echo "$lab_dir/cache/${kpkg}_${kversion}_amd64.deb"; }

# download_deb: fetches $kpkg=$kversion into the cache unless it is there already.
download_deb() {
  local deb tmp started=$EPOCHREALTIME
  deb=$(deb_path)
  [ -s "$deb" ] && return 0
  log "downloading $kpkg $kversion"
  tmp=$(mktemp -d "$lab_dir/cache/.download.XXXXXX")
  chown _apt "$tmp" 2> /dev/null || true  # apt downloads as _apt and warns when it cannot write
  if ! (cd "$tmp" && apt_locked apt-get download -qq "$kpkg=$kversion"); then
    rm -rf "$tmp"
    return 1
  fi
  mv "$tmp"/*.deb "$deb"
  rm -rf "$tmp"
  log "downloaded $(du -m "$deb" | cut -f1) MB in $(seconds_since "$started") s"
}

# extract_deb DEB KDIR: unpacks the package into KDIR/root and indexes its modules (the package
# leaves that to its postinst). KDIR/release, written last, holds the kernel release.
extract_deb() {
  local deb=$1 kdir=$2 release started=$EPOCHREALTIME
  log "extracting $(basename "$deb")"
  rm -rf "$kdir"
  mkdir -p "$kdir/root"
  dpkg -x "$deb" "$kdir/root"
  # depmod -b looks in ROOT/lib/modules; a merged-/usr package has only usr/lib/modules.
  [ -e "$kdir/root/lib" ] || ln -s usr/lib "$kdir/root/lib"
  release=$(basename "$(find "$kdir/root/lib/modules/" -mindepth 1 -maxdepth 1 -type d | head -n1)")
  [ -f "$kdir/root/boot/vmlinuz-$release" ] || die 1 "$(basename "$deb") has no boot/vmlinuz-$release"
  depmod -b "$kdir/root" "$release"
  echo "$release" > "$kdir/release"
  log "extracted $(du -sm "$kdir/root" | cut -f1) MB in $(seconds_since "$started") s"
}

# prune_old_kernels KERNEL: removes other versions of this kernel (extracted trees and .debs) once
# no lab VM of this kernel is running; called with the kernel's setup lock held.
prune_old_kernels() {
  local kernel=$1 keep=${kpkg}_$kversion dir
  for dir in "$lab_dir/$kernel"/linux-image-*; do
    if [ -d "$dir" ] && [ "$(basename "$dir")" != "$keep" ] &&
      flock -n -x "$lab_dir/$kernel/in-use.lock" rm -rf "$dir"; then
      log "removed old $(basename "$dir")"
    fi
  done
  for dir in "$lab_dir/cache"/*.deb; do
    [ "$(basename "$dir")" != "${keep}_amd64.deb" ] || continue
    case $kernel:$(basename "$dir") in
      6.1:linux-image-6.1.0-*) rm -f "$dir" ;;
      6.12:linux-image-6.12.*) rm -f "$dir" ;;
    esac
  done
}
