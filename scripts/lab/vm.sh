# shellcheck shell=bash
# Sourced by scripts/kernel-lab: boots the lab guest under QEMU and runs one command in it.

# Variables passed from the caller to the command: basics, Java and Maven settings, SKBTRAIL_*.
guest_env_pattern='^(PATH|HOME|USER|LOGNAME|LANG|LANGUAGE|LC_[A-Z_]+|TZ|JAVA_HOME|JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS|MAVEN_OPTS|MAVEN_ARGS|SKBTRAIL_[A-Za-z0-9_]+)$'

# write_guest_command FILE COMMAND...: the script the guest's init runs as root in the chroot.
write_guest_command() {
  local file=$1 name
  shift
  {
    echo "# Written by scripts/kernel-lab for one lab run."
    for name in $(compgen -e); do
      [[ $name =~ $guest_env_pattern ]] && printf 'export %s=%q\n' "$name" "${!name}"
    done
    printf 'cd %q || exit 125\n' "$root"
    printf 'exec'
    printf ' %q' "$@"
    printf '\n'
  } > "$file"
}

# run_vm VMLINUZ INITRD COMMAND...: boots the guest, streams the command's stdout and stderr to
# ours, and sets $guest_rc to its exit status (empty if the guest never reported one: a panic, a
# timeout or a QEMU failure). Uses $kernel, $kroot, $release, $timeout and $tcg_threads.
run_vm() {
  local vmlinuz=$1 initrd=$2
  shift 2
  run=$(mktemp -d "$lab_dir/run/$kernel.XXXXXX")
  mkdir "$run/share"
  write_guest_command "$run/share/command" "$@"
  # QEMU opens its serial outputs for writing, which blocks until these readers open the FIFOs.
  mkfifo "$run/console" "$run/stdout" "$run/stderr"
  cat "$run/stdout" &
  local readers=($!)
  cat "$run/stderr" >&2 &
  readers+=($!)
  local booted=$EPOCHREALTIME
  watch_console "$run/console" "$run/console.log" "$booted" "$run/ready" &
  readers+=($!)

  log "booting $kernel ($release, TCG thread=$tcg_threads), timeout ${timeout} s"
  # TCG only: /dev/kvm on these hosts is KVM-PVM, which runs PVM-built kernels, not Debian's.
  # thread=single runs both vCPUs on one host thread. thread=multi is about twice as fast on
  # parallel work, but with QEMU 7.2 the JVM crashed (SIGSEGV or SIGILL in C1-compiled code, at
  # or near a method's entry, which HotSpot patches while other threads may run it) in 4 of 5
  # runs of a JUnit suite; 8 of 8 runs were clean with thread=single or -smp 1.
  # Each -virtfs is one 9p share: the host root (read-only; the guest overlays it with tmpfs),
  # the control directory with the command, and the results directory.
  # Two virtio-net NICs on QEMU's internal hub 0 give the guest a real NIC driver path with no
  # host networking; romfile= skips their iPXE boot ROMs.
  # panic=-1 with -no-reboot: a guest panic ends QEMU at once.
  timeout -k 10 "$timeout" qemu-system-x86_64 \
    -accel tcg,thread="$tcg_threads" -cpu max -smp 2 -m 3G \
    -nographic -no-reboot -monitor none \
    -chardev file,id=console,path="$run/console" -serial chardev:console \
    -chardev file,id=stdout,path="$run/stdout" -serial chardev:stdout \
    -chardev file,id=stderr,path="$run/stderr" -serial chardev:stderr \
    -kernel "$vmlinuz" -initrd "$initrd" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs local,path="$run/share",mount_tag=labctl,security_model=none,multidevs=remap \
    -virtfs local,path="$SKBTRAIL_LAB_OUT",mount_tag=labout,security_model=none,multidevs=remap \
    -netdev hubport,id=p1,hubid=0 -device virtio-net-pci,netdev=p1,romfile= \
    -netdev hubport,id=p2,hubid=0 -device virtio-net-pci,netdev=p2,romfile= \
    -append "console=ttyS0 quiet loglevel=0 panic=-1 lab.ctl=$run/share lab.out=$SKBTRAIL_LAB_OUT lab.moddir=$kroot/lib/modules/$release lab.repo=$root" \
    < /dev/null > "$run/qemu.log" 2>&1 &
  qemu_pid=$!
  qemu_rc=0
  wait "$qemu_pid" || qemu_rc=$?
  qemu_pid=""
  vm_seconds=$(seconds_since "$booted")
  # A reader whose FIFO QEMU never opened is still waiting for a writer: be that writer.
  local fifo fd
  for fifo in "$run/console" "$run/stdout" "$run/stderr"; do
    exec {fd}<> "$fifo"
    exec {fd}>&-
  done
  wait "${readers[@]}" || true
  local exit_line ready_line
  exit_line=$(grep -aso 'LAB guest-cmd-exit rc=[0-9]* uptime=[0-9.]*' "$run/console.log" | tail -n1) || true
  ready_line=$(grep -aso 'LAB guest-ready uptime=[0-9.]*' "$run/console.log" | tail -n1) || true
  guest_rc=$(sed -n 's/.*rc=\([0-9]*\).*/\1/p' <<< "$exit_line")
  ready_seconds=$(cat "$run/ready" 2> /dev/null || echo "?")
  command_seconds="?"
  [ -z "$exit_line" ] || [ -z "$ready_line" ] ||
    command_seconds=$(awk -v a="${ready_line##*=}" -v b="${exit_line##*=}" 'BEGIN { printf "%.1f", b - a }')
  keep_run_logs
}

# watch_console FIFO LOG BOOTED READY_FILE: logs the console, reports when the guest is ready, and
# passes on the guest's warnings and any kernel message printed while the command runs.
watch_console() {
  local fifo=$1 log_file=$2 booted=$3 ready_file=$4 line ready=0
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    printf '%s\n' "$line" >> "$log_file"
    case $line in
      *"LAB guest-ready "*)
        ready=1
        seconds_since "$booted" > "$ready_file"
        log "guest ready after $(cat "$ready_file") s (guest uptime ${line##*uptime=} s)"
        ;;
      *"LAB warn "*) log "guest: ${line#*LAB warn }" ;;
      *"LAB fatal "*) log "guest: ${line#*LAB fatal }" ;;
      *"LAB "*) ;;
      *) [ "$ready" = 0 ] || [ -z "$line" ] || log "guest console: $line" ;;
    esac
  done < "$fifo"
}

# keep_run_logs: the last run's console, QEMU output, command and guest dmesg stay in
# $lab_dir/KERNEL/last-run.
keep_run_logs() {
  local last=$lab_dir/$kernel/last-run
  rm -rf "$last"
  mkdir -p "$last"
  cp "$run/console.log" "$run/qemu.log" "$last/" 2> /dev/null || true
  cp "$run/share/dmesg" "$last/" 2> /dev/null || true
  cp "$run/share/command" "$last/" 2> /dev/null || true
  rm -rf "$run"
  run=""
}

# stop_vm SIGNAL: on our own interrupt, stop QEMU (through timeout, which passes it on).
stop_vm() {
  interrupted=$1
  [ -z "${qemu_pid:-}" ] || kill "$qemu_pid" 2> /dev/null || true
}
