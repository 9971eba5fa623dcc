# shellcheck shell=bash
# Sourced by scripts/kernel-lab: the guest's initramfs (busybox, scripts/lab/init, and the modules
# listed in scripts/lab/modules with their dependencies, decompressed for busybox insmod).

# build_initramfs KROOT RELEASE DIR: sets $initrd to DIR/initrd-<key>.cpio.gz, building it only when
# the kernel release, the module list, the init script or busybox changed; sets $missing_modules.
build_initramfs() {
  local kroot=$1 release=$2 dir=$3 key
  key=$({ echo "$release"; cat "$lab_src/modules" "$lab_src/init" /bin/busybox; } | sha256sum | cut -c1-16)
  initrd=$dir/initrd-$key.cpio.gz
  if [ -s "$initrd" ]; then
    missing_modules=$(cat "$initrd.missing")
    return
  fi
  local started=$EPOCHREALTIME staging
  log "building initramfs for $release"
  staging=$(mktemp -d)
  mkdir -p "$staging"/{bin,dev,proc,sys,newroot,modules}
  cp /bin/busybox "$staging/bin/"
  cp "$lab_src/init" "$staging/init"
  chmod 755 "$staging/init"
  add_modules "$kroot" "$release" "$staging/modules" || { rm -rf "$staging"; return 1; }
  (cd "$staging" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) > "$initrd.tmp"
  printf '%s\n' "$missing_modules" > "$initrd.tmp.missing"
  mv "$initrd.tmp.missing" "$initrd.missing"
  mv "$initrd.tmp" "$initrd"
  # Older initramfs builds for this kernel belong to older module lists or init scripts.
  find "$dir" -maxdepth 1 -name 'initrd-*' ! -name "initrd-$key.*" -delete
  log "initramfs: $(wc -l < "$staging/modules/order") modules, $(du -k "$initrd" | cut -f1) KiB," \
    "built in $(seconds_since "$started") s"
  rm -rf "$staging"
}

# add_modules KROOT RELEASE DEST: copies each listed module and its dependencies into DEST, and
# writes DEST/order, the insmod order. Sets $missing_modules (space-separated).
add_modules() {
  local kroot=$1 release=$2 dest=$3 name flag deps kind path file
  missing_modules=""
  : > "$dest/order"
  while read -r name flag; do
    case $name in '' | '#'*) continue ;; esac
    # Lines are "insmod /path/to/mod.ko[.xz|.zst] [options]" or "builtin mod".
    if ! deps=$(modprobe -d "$kroot" -S "$release" --show-depends "$name" 2> /dev/null); then
      if [ "$flag" = required ]; then
        log "module $name is missing from $release, and the guest cannot boot without it"
        return 1
      fi
      log "warning: module $name is missing from $release"
      missing_modules+="${missing_modules:+ }$name"
      continue
    fi
    while read -r kind path _; do
      [ "$kind" = insmod ] || continue
      file=$(basename "$path")
      file=${file%.xz}
      file=${file%.zst}
      grep -qxF "$file" "$dest/order" && continue
      case $path in
        *.xz) xz -dc "$path" > "$dest/$file" ;;
        *.zst) zstd -dcq "$path" > "$dest/$file" ;;
        *) cp "$path" "$dest/$file" ;;
      esac
      echo "$file" >> "$dest/order"
    done <<< "$deps"
  done < "$lab_src/modules"
}
