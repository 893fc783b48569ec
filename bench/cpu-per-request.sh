#!/usr/bin/env bash
# CPU per request of one route of the real server: the figure to compare two builds or two settings
# by, on a shared machine where req/s swings with the neighbours' load (bench/README.md, "Where an
# encrypt's CPU goes"). Starts the Release server as compare.sh does (a random master key, a new
# temporary data directory, rate limiting off, every pool target 0, log level Warning), registers
# one identity, loads the route with wrk (2 threads, 32 connections) for WARM seconds (excluded:
# the JIT settles about 35 s into load), then MEAS seconds, and prints:
#   RESULT ...                      wrk's line for the measured run (bench/wrk/request.lua)
#   cpu_us_per_request N            the server's user+system CPU (/proc/PID/stat) / requests
#   rss_kb N                        the server's VmRSS after the run
# and, when asked, per request: syscalls and context switches (PERFSTAT=1, needs perf), and the
# CPU of each server thread that used any (THREADS=1), so a dedicated thread's share shows.
# Needs: wrk, curl, python3, and `dotnet build -c Release src/Api` done.
# Usage: [ROUTE=encrypt|decrypt|prototype-encrypt|prototype-decrypt|keys] [BITS=2048] [WARM=45] [MEAS=15]
#        [SERVER_ENV="NAME=value ..."] [RATE=N] [PERFSTAT=1] [THREADS=1] bench/cpu-per-request.sh
# RATE: offer about N requests/s in all (bench/wrk/request.lua's pacing) instead of as many as the
# server answers, for latency at a given load (compare.sh's "p99 at half the maximum rate").
set -euo pipefail
cd "$(dirname "$0")/.."
ROUTE=${ROUTE:-encrypt} BITS=${BITS:-2048} WARM=${WARM:-45} MEAS=${MEAS:-15}
API_DIR=src/Api/bin/Release/net10.0
[ -f "$API_DIR/CryptoSecure.Api.dll" ] || { echo "build first: dotnet build -c Release src/Api" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install -y wrk)" >&2; exit 1; }
[ "${PERFSTAT:-0}" != 1 ] || command -v perf >/dev/null || { echo "PERFSTAT=1 needs perf (apt-get install -y linux-perf)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/cryptosecure-cpu-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
BASE=http://127.0.0.1:$PORT
(
  cd "$API_DIR"
  # SERVER_ENV: more NAME=value settings for the server (word-split).
  # shellcheck disable=SC2086
  exec env ASPNETCORE_ENVIRONMENT=Production Security__MasterKey="$(head -c 32 /dev/urandom | base64)" \
    Storage__DataDirectory="$WORK/data" ${SERVER_ENV:-} \
    RateLimiting__Enabled=false Registration__EmailVerification=Off Keys__Pool__2048=0 Keys__Pool__3072=0 Keys__Pool__4096=0 \
    Logging__LogLevel__Default=Warning dotnet CryptoSecure.Api.dll --urls "$BASE"
) >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do curl -sf "$BASE/health/live" >/dev/null && break; sleep 0.2; done
curl -sf "$BASE/health/live" >/dev/null || { echo "the server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1; }

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
EMAIL=cpu@bench.example.com
KEY=$(curl -sf -X POST "$BASE/api/v1/users" -H 'Content-Type: application/json' -d "{\"email\":\"$EMAIL\",\"keySize\":$BITS}" | json_field apiKey)
python3 -c 'import json; print(json.dumps({"plaintext": "x" * 1024}))' >"$WORK/encrypt.json"
python3 -c 'import json; print(json.dumps({"plaintext": "x" * 100}))' >"$WORK/prototype-encrypt.json"
ciphertext_body() { printf '{"ciphertext":"%s"}' "$(curl -sf -X POST "$1" -H 'Content-Type: application/json' --data-binary @"$2" | json_field ciphertext)" >"$3"; }
case $ROUTE in
  encrypt) URL=$BASE/api/v1/users/$EMAIL/encrypt BODY=$WORK/encrypt.json AUTH="" ;;
  decrypt) ciphertext_body "$BASE/api/v1/users/$EMAIL/encrypt" "$WORK/encrypt.json" "$WORK/decrypt.json"
    URL=$BASE/api/v1/users/$EMAIL/decrypt BODY=$WORK/decrypt.json AUTH=$KEY ;;
  prototype-encrypt) URL=$BASE/encrypt/$EMAIL BODY=$WORK/prototype-encrypt.json AUTH="" ;;
  prototype-decrypt) ciphertext_body "$BASE/encrypt/$EMAIL" "$WORK/prototype-encrypt.json" "$WORK/prototype-decrypt.json"
    URL=$BASE/decrypt/$EMAIL BODY=$WORK/prototype-decrypt.json AUTH=$KEY ;;
  keys) URL=$BASE/api/v1/users/$EMAIL/keys BODY="" AUTH="" ;;
  *) echo "unknown ROUTE $ROUTE" >&2; exit 2 ;;
esac

load() { BODY_FILE="$BODY" API_KEY="$AUTH" CONNECTIONS=32 RATE="${RATE:-}" wrk -t2 -c32 -d"$1"s --timeout 10s -s bench/wrk/request.lua "$URL" | grep '^RESULT'; }
cpu_ticks() { local stat; stat=$(cat "/proc/$SERVER/stat"); set -- ${stat##*) }; echo $(( ${12} + ${13} )); }
# threads FILE: "tid ticks name" of every server thread.
threads() {
  for task in /proc/$SERVER/task/*; do
    local stat; stat=$(cat "$task/stat" 2>/dev/null) || continue
    set -- ${stat##*) }
    echo "${task##*/} $(( ${12} + ${13} )) $(tr ' ' _ <"$task/comm")"
  done | sort >"$1"
}

load "$WARM" >/dev/null
[ "${THREADS:-0}" = 1 ] && threads "$WORK/threads.0"
if [ "${PERFSTAT:-0}" = 1 ]; then
  perf stat -e raw_syscalls:sys_enter,context-switches -p "$SERVER" -o "$WORK/perfstat" -- sleep "$MEAS" >/dev/null 2>&1 &
fi
before=$(cpu_ticks)
RESULT=$(load "$MEAS")
after=$(cpu_ticks)
[ "${PERFSTAT:-0}" = 1 ] && wait $!
[ "${THREADS:-0}" = 1 ] && threads "$WORK/threads.1"
echo "$RESULT"
requests=$(echo "$RESULT" | sed -n 's/.*requests=\([0-9]*\).*/\1/p')
ticks_per_s=$(getconf CLK_TCK)
awk -v a="$before" -v b="$after" -v r="$requests" -v hz="$ticks_per_s" 'BEGIN { printf "cpu_us_per_request %.0f\n", (b - a) * 1e6 / hz / r }'
echo "rss_kb $(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")"
if [ "${PERFSTAT:-0}" = 1 ]; then
  awk -v r="$requests" '/raw_syscalls/ {gsub(",", "", $1); printf "syscalls_per_request %.1f\n", $1 / r}
                        /context-switches/ {gsub(",", "", $1); printf "context_switches_per_request %.2f\n", $1 / r}' "$WORK/perfstat"
fi
if [ "${THREADS:-0}" = 1 ]; then
  join "$WORK/threads.0" "$WORK/threads.1" | awk -v r="$requests" -v hz="$ticks_per_s" \
    '$4 > $2 { printf "thread %s %s cpu_us_per_request %.1f\n", $1, $3, ($4 - $2) * 1e6 / hz / r }' | sort -k5 -rn
fi
