#!/usr/bin/env bash
# Runs the same scenarios against Parley's relay and the Node.js + Socket.IO peer, side by side, and prints the
# table. Started by `./parley bench [--quick]` (which builds the jars and sets JAVA_HOME). Loopback only; every step
# is bounded by `timeout`; servers are waited for by health polling and stopped on exit.
#   bench/run.sh [--quick] [--no-10m] [--parley-only] | --report RESULTS.jsonl
# Env: OUT (results dir), SERVER_CPU (0), LOAD_CPU (1), QUIET_BUSY (25 % of 200), QUIET_MAX (60 s),
#      PEER_SRC (the peer's sources), STEPS (knee: msg/s per sender), RELAY_JAVA_OPTS (e.g. JFR flags).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:?run through ./parley bench, or set JAVA_HOME to a JDK 25}/bin/java"
RELAY_JAR="$ROOT/relay-server/target/parley-relay.jar"
BENCH_JAR="$ROOT/bench/target/parley-bench.jar"
PEER_SRC="${PEER_SRC:-$ROOT/../shared/peers/socketio-relay}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/parley-bench"
PEER_DIR="$CACHE/peer"

if [ "${1:-}" = "--report" ]; then
  # Re-make the table from an earlier run's results file (e.g. after the report's rows change).
  [ -f "${2:-}" ] || { echo "bench: --report needs a results file, e.g. bench/results/run-<time>/results.jsonl" >&2; exit 2; }
  exec "$JAVA" -jar "$BENCH_JAR" report --results "$2"
fi

QUICK=0; TEN_M=1; TARGETS="parley peer"
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --no-10m) TEN_M=0 ;;
    --parley-only) TARGETS="parley" ;;
    *) echo "bench: unknown option '$arg' (known: --quick, --no-10m, --parley-only, --report FILE)" >&2; exit 2 ;;
  esac
done

OUT="${OUT:-$ROOT/bench/results/run-$(date +%Y%m%d-%H%M%S)$([ "$QUICK" = 1 ] && echo -quick || true)}"
mkdir -p "$OUT"
RES="$OUT/results.jsonl"
: > "$RES"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/parley-bench.XXXXXX")"
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
QUIET_BUSY=${QUIET_BUSY:-25}
QUIET_MAX=${QUIET_MAX:-60}
PARLEY_PORT=7481
PEER_PORT=7482
STEPS=${STEPS:-10,20,40,60,80,100,130,160,200,250,300,400,500}

if [ "$QUICK" = 1 ]; then
  DUR=5; STEP_DUR=3; SETTLE=1; IDLE_C=300; RT_SEQ=200; RT_PAIRS=20; RT_PAR=20; RT_WARM=0; REQS=300; WARM=500; WARM_S=0; KNEE_MAX=15; TEN_M=0
  STEPS=${QUICK_STEPS:-20,80,160,300}; QUIET_MAX=${QUIET_MAX_QUICK:-8}
else
  DUR=20; STEP_DUR=8; SETTLE=10; IDLE_C=2000; RT_SEQ=10000; RT_PAIRS=100; RT_PAR=1000; RT_WARM=10; REQS=2000; WARM=20000; WARM_S=20; KNEE_MAX=150
fi

PIN_S=""; PIN_L=""
if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  PIN_S="taskset -c $SERVER_CPU"; PIN_L="taskset -c $LOAD_CPU"
fi

SPID=""
cleanup() {
  if [ -n "$SPID" ] && kill -0 "$SPID" 2>/dev/null; then kill "$SPID" 2>/dev/null || true; wait "$SPID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { echo "bench: [$((SECONDS))s] $*" >&2; }

ensure_peer() {
  # The peer is run from a copy in the cache (its sources are read-only and must not get node_modules).
  if [ -f "$PEER_DIR/node_modules/better-sqlite3/build/Release/better_sqlite3.node" ] \
     && [ -d "$PEER_DIR/node_modules/socket.io" ] && cmp -s "$PEER_SRC/peer/server.js" "$PEER_DIR/peer/server.js"; then
    return 0
  fi
  [ -f "$PEER_SRC/peer/server.js" ] || { log "the peer is not at $PEER_SRC (set PEER_SRC)"; exit 1; }
  command -v node >/dev/null && command -v npm >/dev/null || { log "the peer needs node and npm"; exit 1; }
  log "installing the Socket.IO peer into $PEER_DIR (first run: builds better-sqlite3, ~2 min)..."
  rm -rf "$PEER_DIR"; mkdir -p "$CACHE"
  cp -r "$PEER_SRC" "$PEER_DIR"
  rm -rf "$PEER_DIR/node_modules" "$PEER_DIR/results" "$PEER_DIR/data"
  local nodedir=(); [ -d /usr/include/node ] && nodedir=(--nodedir=/usr)
  (cd "$PEER_DIR" && timeout 900 npm install --no-audit --no-fund "${nodedir[@]}" >"$CACHE/npm-install.log" 2>&1) \
    || { log "npm install failed; see $CACHE/npm-install.log"; exit 1; }
}

machine_busy() { # busy % of the whole machine (2 cores = 200) over $1 seconds
  local a b
  a=$(head -1 /proc/stat); sleep "$1"; b=$(head -1 /proc/stat)
  echo "$a $b" | awk -v n="$(nproc)" '{b1=$2+$3+$4+$7+$8+$9; t1=b1+$5+$6; b2=$13+$14+$15+$18+$19+$20; t2=b2+$16+$17; printf "%.0f", (b2-b1)/(t2-t1)*100*n}'
}
wait_quiet() { # bounded wait for other work on the machine to calm down; the level is recorded
  local t0=$SECONDS busy
  # --quick checks once, at the start, to stay within its time budget
  [ "$QUICK" = 1 ] && [ -n "${QUIET_CHECKED:-}" ] && return 0
  QUIET_CHECKED=1
  while :; do
    busy=$(machine_busy 1)
    if [ "$busy" -le "$QUIET_BUSY" ] || [ $((SECONDS - t0)) -ge "$QUIET_MAX" ]; then break; fi
  done
  echo "{\"event\":\"quiet-check\",\"before\":\"$1\",\"machineBusyPct\":$busy,\"waitedS\":$((SECONDS - t0))}" >> "$RES"
  [ "$busy" -le "$QUIET_BUSY" ] || log "machine still busy ($busy% of $(( $(nproc) * 100 ))) before $1: figures are noisy"
}

wait_health() { # url log
  for _ in $(seq 1 300); do
    curl -sf "$1" >/dev/null 2>&1 && return 0
    kill -0 "$SPID" 2>/dev/null || break
    sleep 0.1
  done
  log "server did not become healthy at $1"; cat "$2" >&2; exit 1
}

# start_server TARGET NAME [DATA]: a fresh server process pinned to the server core
start_server() {
  local target=$1 name=$2 data=${3:-}
  if [ "$target" = parley ]; then
    [ -n "$data" ] || data="$(mktemp -d "$WORK/relay-$name.XXXX")"
    # Rate limits raised so the generator is not throttled; Argon2id cheapened because signing in is not what is
    # measured (each bench user signs in once, before the measured window). Everything else is the default,
    # including sqlite-synchronous=full (an fsync per group commit before any ack).
    # shellcheck disable=SC2086
    # The relay's own JVM settings, as every launcher uses them (relay-server/relay.jvm-options).
    $PIN_S "$JAVA" @"$ROOT/relay-server/relay.jvm-options" ${RELAY_JAVA_OPTS:-} -jar "$RELAY_JAR" \
      --port "$PARLEY_PORT" --bind 127.0.0.1 --data "$data" \
      --ws-requests-per-second 1000000 --ws-burst 1000000 \
      --auth-per-address-per-minute 1000000 --login-per-account-per-minute 1000000 \
      --argon2-memory-kib 64 --argon2-iterations 1 --access-token-minutes 120 \
      > "$OUT/server-parley-$name.log" 2>&1 &
    SPID=$!
    wait_health "http://127.0.0.1:$PARLEY_PORT/health" "$OUT/server-parley-$name.log"
  else
    [ -n "$data" ] || data="$(mktemp -d "$WORK/peer-$name.XXXX")/peer-chat.db"
    PORT=$PEER_PORT DB_PATH="$data" $PIN_S node "$PEER_DIR/peer/server.js" > "$OUT/server-peer-$name.log" 2>&1 &
    SPID=$!
    wait_health "http://127.0.0.1:$PEER_PORT/api/health" "$OUT/server-peer-$name.log"
  fi
}
stop_server() {
  [ -n "$SPID" ] || return 0
  kill "$SPID" 2>/dev/null || true
  for _ in $(seq 1 200); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$SPID" 2>/dev/null && kill -9 "$SPID" 2>/dev/null
  wait "$SPID" 2>/dev/null || true
  SPID=""
}
port_of() { [ "$1" = parley ] && echo "$PARLEY_PORT" || echo "$PEER_PORT"; }

# gen TARGET MODE LABEL args...: the generator, pinned to the load core
gen() {
  local target=$1 mode=$2 label=$3; shift 3
  log "$target $label"
  # shellcheck disable=SC2086
  timeout 900 $PIN_L "$JAVA" -jar "$BENCH_JAR" "$mode" --target "$target" --port "$(port_of "$target")" \
    --server-pid "$SPID" --label "$label" --out "$RES" --register-parallel 32 "$@" > "$OUT/gen-$target-$label.json" 2> "$OUT/gen-$target-$label.err" \
    || { log "$target $label failed: $(tail -c 400 "$OUT/gen-$target-$label.json" "$OUT/gen-$target-$label.err" | tr '\n' ' ')"; \
         echo "{\"event\":\"load-failed\",\"label\":\"$label\",\"target\":\"$target\"}" >> "$RES"; }
}

# gen2 TARGET LABEL args...: the same chat scenario split over two generator processes (disjoint rooms)
gen2() {
  local target=$1 label=$2; shift 2
  local bar="$WORK/barrier-$target-$label"; mkdir -p "$bar"
  log "$target $label (2 generator processes)"
  local pids=()
  for p in 0 1; do
    # shellcheck disable=SC2086
    timeout 900 $PIN_L "$JAVA" -jar "$BENCH_JAR" chat --target "$target" --port "$(port_of "$target")" \
      --server-pid "$SPID" --label "$label#$p" --tag "P$p" --user-prefix "p${p}user" --room-prefix "p$p-room-" \
      --barrier-dir "$bar" --procs 2 --out "$WORK/$target-$label-$p.jsonl" "$@" \
      > "$OUT/gen-$target-$label-$p.json" 2> "$OUT/gen-$target-$label-$p.err" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  "$JAVA" -jar "$BENCH_JAR" merge --label "$label" --inputs "$WORK/$target-$label-0.jsonl,$WORK/$target-$label-1.jsonl" \
    --out "$RES" > /dev/null 2>> "$OUT/gen-$target-$label.err" \
    || echo "{\"event\":\"load-failed\",\"label\":\"$label\",\"target\":\"$target\"}" >> "$RES"
}

[[ " $TARGETS " == *" peer "* ]] && ensure_peer
[ -f "$RELAY_JAR" ] && [ -f "$BENCH_JAR" ] || { log "build first (./parley bench does)"; exit 1; }

{
  printf '{"event":"meta","date":"%s","quick":%s,' "$(date -u +%FT%TZ)" "$QUICK"
  printf '"cpu":"%s","cores":%s,"memMB":%s,' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(nproc)" \
    "$(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo)"
  printf '"java":"%s","node":"%s","pinned":"%s"}\n' "$("$JAVA" -version 2>&1 | head -1 | tr -d '"')" \
    "$(node --version 2>/dev/null || echo none)" "${PIN_S:+server cpu $SERVER_CPU, generator cpu $LOAD_CPU}"
} >> "$RES"

CHAT=(--clients 1000 --rooms 10 --senders 20 --msg-bytes 100)
T0=$SECONDS
for target in $TARGETS; do
  # (a) 1000 clients in 10 rooms of 100, 20 senders x 10 msg/s (--quick: on the knee's connections, see (c))
  if [ "$QUICK" = 0 ]; then
    wait_quiet "$target a-chat"
    start_server "$target" a
    # 20 s of the same load first, unmeasured: both servers' JITs settle (the relay's CPU per delivery falls by a
    # quarter over its first 40 s), as a relay running for days would be
    gen "$target" chat a-chat "${CHAT[@]}" --rate 10 --duration "$DUR" --warmup 20
    stop_server
  fi

  # (a') the same load split over two generator processes (each 500 clients, 5 rooms, 10 senders): the generator
  #      is not the limit if the figures hold
  if [ "$QUICK" = 0 ]; then
    wait_quiet "$target a-chat-2proc"
    start_server "$target" a2
    gen2 "$target" a-chat-2proc --clients 500 --rooms 5 --senders 10 --msg-bytes 100 --rate 10 --duration "$DUR" --warmup 2
    stop_server
  fi

  # (b) idle connections in rooms of 100: server RSS per connection
  wait_quiet "$target b-idle"
  start_server "$target" b
  # --quick leaves out the full-GC probe (two jcmd attaches, seconds each) to stay within its time
  gen "$target" idle b-idle --clients "$IDLE_C" --members 100 --settle "$SETTLE" \
    --jvm-gc-probe "$([ "$QUICK" = 1 ] && echo false || echo true)"
  stop_server

  # (c) knee: raise the rate per sender until p99 > 50 ms or anything is lost (a failing step is retried once)
  wait_quiet "$target c-knee"
  start_server "$target" c
  quick_chat=(); [ "$QUICK" = 1 ] && quick_chat=(--chat-label a-chat --rate 10 --duration "$DUR" --warmup 1 \
    --confirm 0 --step-pause-s 0.5)
  gen "$target" knee c-knee "${CHAT[@]}" --steps "$STEPS" --step-duration "$STEP_DUR" --p99-limit-ms 50 \
    --max-knee-s "$KNEE_MAX" "${quick_chat[@]}"
  stop_server

  # (d) relayed signaling round trips, 1 KB SDP offer and answer: peer webrtc-signal; Parley call_signal inside an
  #     answered call (each pair invites and accepts first, not measured)
  wait_quiet "$target d-rtt"
  start_server "$target" d
  gen "$target" roundtrip d-rtt-1pair --pairs 1 --round-trips "$RT_SEQ" --warmup-seconds "$RT_WARM" \
    --user-prefix pairone
  gen "$target" roundtrip d-rtt-100pairs --pairs "$RT_PAIRS" --round-trips "$RT_PAR" --warmup-seconds "$RT_WARM" \
    --user-prefix pairmany
  stop_server
done

# (z) the machine's own latency floor: a 100-byte TCP echo with the same core split and no server logic, so the
#     latency rows can be read against what this machine can do at all
if [ "$QUICK" = 0 ]; then
  wait_quiet "z-echo-floor"
  log "machine echo floor"
  $PIN_S "$JAVA" -jar "$BENCH_JAR" echo-server --port 7483 > "$OUT/echo-server.log" 2>&1 &
  SPID=$!
  for _ in $(seq 1 100); do grep -q echo-listening "$OUT/echo-server.log" 2>/dev/null && break; sleep 0.1; done
  timeout 300 $PIN_L "$JAVA" -jar "$BENCH_JAR" echo --port 7483 --requests "$REQS" --warmup-requests "$WARM" \
    --out "$RES" > "$OUT/gen-echo.json" 2> "$OUT/gen-echo.err" || log "echo floor failed: $(tail -c 300 "$OUT/gen-echo.err")"
  stop_server
fi

# (e) history page of 50 at 1 M (and 10 M) stored messages, seeded straight into each server's SQLite file
for target in $TARGETS; do
  if [ "$target" = parley ]; then
    hdata="$WORK/history-parley"; mkdir -p "$hdata"
    start_server parley e0 "$hdata"       # runs the relay's Flyway migration on the data dir
    setup=$("$JAVA" -jar "$BENCH_JAR" setup-history --port "$PARLEY_PORT" --user hist)
    stop_server
    conv=$(echo "$setup" | sed 's/.*"conv":\([0-9]*\).*/\1/'); uid=$(echo "$setup" | sed 's/.*"userId":\([0-9]*\).*/\1/')
    seed=(--target parley --db "$hdata/parley.db" --conv "$conv" --sender "$uid")
    hist=(--user hist0 --conv "$conv")
  else
    hdata="$WORK/history-peer"; mkdir -p "$hdata"
    start_server peer e0 "$hdata/peer-chat.db"   # creates the peer's table
    stop_server
    seed=(--target peer --db "$hdata/peer-chat.db" --room room-0)
    hist=(--room room-0)
  fi
  stored=0
  for step in 1000000 9000000; do
    if [ "$step" = 9000000 ] && [ "$TEN_M" = 0 ]; then break; fi
    log "$target seeding $step messages"
    "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$BENCH_JAR" seed "${seed[@]}" --count "$step" >> "$RES"
    stored=$((stored + step))
    label="e-history-$((stored / 1000000))M"
    wait_quiet "$target $label"
    start_server "$target" "$label" "$([ "$target" = parley ] && echo "$hdata" || echo "$hdata/peer-chat.db")"
    gen "$target" history "$label" "${hist[@]}" --stored "$stored" --requests "$REQS" --warmup-requests "$WARM" --warmup-seconds "$WARM_S"
    # Parley also over the app's own path: a history request on the signed-in WebSocket (the peer has none)
    [ "$target" = parley ] && gen parley ws-history "$label-ws" "${hist[@]}" --stored "$stored" --requests "$REQS" --warmup-requests "$WARM" --warmup-seconds "$WARM_S"
    stop_server
  done
  rm -rf "$hdata"
done

echo "{\"event\":\"done\",\"seconds\":$((SECONDS - T0))}" >> "$RES"
"$JAVA" -jar "$BENCH_JAR" report --results "$RES" | tee "$OUT/summary.md"
echo "bench: $((SECONDS - T0)) s; results in $OUT (results.jsonl, summary.md, server and generator logs)"
