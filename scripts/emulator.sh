# Sourced by the scripts that run the emulator program out of process
# (scripts/demo.sh, scripts/test-live-emulator.sh): one way to start it on
# loopback and wait until it listens, in a scratch directory $work that is
# removed, with the emulator stopped, when the script exits.
#
#   source scripts/emulator.sh
#   secret=$(random_secret)
#   start_emulator bin/cloudlx-emulator "$work/emulator.log" -client-id me -client-secret "$secret"
#   curl "$endpoint/_emulator/stats"   # start_emulator sets endpoint and emulator_pid
#   stop_emulator
work=$(mktemp -d)
emulator_pid=""
cleanup() {
  [[ -n "$emulator_pid" ]] && kill "$emulator_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# random_secret prints a client secret for one run (48 hex digits).
random_secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# start_emulator BINARY LOG [FLAGS...] starts the emulator program on a free
# loopback port with FLAGS, its log in LOG, and waits (up to 10 s) until it
# has written its address: then endpoint is its base URL.
start_emulator() {
  local bin=$1 log=$2; shift 2
  local addr="$work/addr-$RANDOM"
  "$bin" -listen 127.0.0.1:0 -addr-file "$addr" "$@" 2>"$log" &
  emulator_pid=$!
  for _ in $(seq 1 100); do
    [[ -s "$addr" ]] && break
    kill -0 "$emulator_pid" 2>/dev/null || break # it exited: its log says why
    sleep 0.1
  done
  [[ -s "$addr" ]] || { echo "the emulator did not start:"; cat "$log"; exit 1; }
  endpoint=$(cat "$addr")
}

# stop_emulator stops the emulator start_emulator started.
stop_emulator() {
  kill "$emulator_pid"
  wait "$emulator_pid" 2>/dev/null || true
  emulator_pid=""
}
