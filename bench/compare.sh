#!/usr/bin/env bash
# Issue 11's table in one command: CryptoSecure against a bare reference doing only the same
# crypto (bench/CryptoSecure.Benchmarks.Reference), the prototype-compatible routes against a
# re-created Flask prototype (bench/prototype), p50/p99 of encryption at half the maximum rate, and
# the store-scale rows (1,000 vs 1,000,000 identities, a ring of 1,000 versions) with the server's RSS.
# Builds what it needs (Release), starts every process on a loopback port, runs wrk (2 threads,
# 32 connections; each row warmed up first, the warm-up excluded), prints the markdown tables on
# stdout and progress on stderr, and stops what it started. See bench/README.md.
# Needs: wrk, curl, python3 with flask and cryptography, dotnet.
# Usage: bench/compare.sh [SECONDS]   (per measured row, default 10)
#   env: WARMUP=2 (seconds per row), SERVER_WARMUP=20 (seconds per server route before the first row), REF_WARMUP=5 (the same for the reference's routes), IDENTITIES=1000000, RING_VERSIONS=1000, SKIP_SCALE=1 (no store-scale rows), SKIP_OVERLOAD=1 (no overload rows), ONLY_OVERLOAD=1 (only the overload rows; OVERLOAD_CONNECTIONS=256, PROBE_RATE=50), BATCH_ITEMS=100 (items per batch in the batch-vs-single table)
set -euo pipefail
cd "$(dirname "$0")/.."
ROW_SECONDS=${1:-10}
WARMUP=${WARMUP:-2}
SERVER_WARMUP=${SERVER_WARMUP:-20}
REF_WARMUP=${REF_WARMUP:-5}
BATCH_ITEMS=${BATCH_ITEMS:-100}
IDENTITIES=${IDENTITIES:-1000000}
RING_VERSIONS=${RING_VERSIONS:-1000}
SKIP_SCALE=${SKIP_SCALE:-0}
SKIP_OVERLOAD=${SKIP_OVERLOAD:-0}
ONLY_OVERLOAD=${ONLY_OVERLOAD:-0}
THREADS=2
CONNECTIONS=32
API_DIR=src/Api/bin/Release/net10.0
REF_DIR=bench/CryptoSecure.Benchmarks.Reference/bin/Release/net10.0
SEEDER=bench/CryptoSecure.Benchmarks.Seeder/bin/Release/net10.0/CryptoSecure.Benchmarks.Seeder.dll
CACHE=bench/.cache
WORK=$(mktemp -d /tmp/cryptosecure-compare-XXXXXX)
STARTED=()

log() { echo "$*" >&2; }
# stop PID: ends a process this script started, and forgets it (so a reused PID is never signalled later).
stop() {
  kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true
  local kept=() pid
  for pid in "${STARTED[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  STARTED=("${kept[@]}")
}
cleanup() { for pid in "${STARTED[@]}"; do stop "$pid"; done; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }
thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { r = b > 0 ? a / b : 0; printf(r >= 10 ? "%.1f" : "%.2f", r) }'; }
met() { awk -v r="$1" -v g="$2" 'BEGIN { print (r >= g ? "yes" : "no") }'; }
rss_mb() { awk '/^VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$1/status"; }
load() { cut -d' ' -f1 /proc/loadavg; }

# wait_live URL LOG PID: until URL answers (any status), or the process has died.
wait_live() {
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" != 000 ] && return 0
    kill -0 "$3" 2>/dev/null || break
    sleep 0.2
  done
  log "did not start ($1):"; cat "$2" >&2; exit 1
}

# start_server DATA_DIR MASTER_KEY NAME: the Release server as bench/wrk/run.sh starts it; sets SERVER_PID and SERVER.
start_server() {
  local port; port=$(free_port)
  SERVER=http://127.0.0.1:$port
  (
    cd "$API_DIR"
    # env(1), because a variable name with dots cannot be set with the shell's NAME=value syntax.
    # SERVER_ENV: more NAME=value settings for this one server (word-split).
    # shellcheck disable=SC2086
    exec env ASPNETCORE_ENVIRONMENT=Production Security__MasterKey="$2" Storage__DataDirectory="$1" ${SERVER_ENV:-} \
      RateLimiting__Enabled=false Registration__EmailVerification=Off Keys__Pool__2048=0 Keys__Pool__3072=0 Keys__Pool__4096=0 \
      Logging__LogLevel__Default=Warning dotnet CryptoSecure.Api.dll --urls "$SERVER"
  ) >"$WORK/$3.log" 2>&1 &
  SERVER_PID=$!
  STARTED+=("$SERVER_PID")
  wait_live "$SERVER/health/live" "$WORK/$3.log" "$SERVER_PID"
}

# register EMAIL BITS: an identity through the API; its API key on stdout.
register() {
  curl -sf -X POST "$SERVER/api/v1/users" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"keySize\":$2}" | json_field apiKey
}

# body_from URL JSON_FILE FIELD OUT_FIELD OUT_FILE: POST the file, wrap the answer's FIELD as {"OUT_FIELD": …} in OUT_FILE.
body_from() {
  local value; value=$(curl -sf -X POST "$1" -H 'Content-Type: application/json' --data-binary @"$2" | json_field "$3")
  printf '{"%s":"%s"}' "$4" "$value" >"$5"
}

# measure URL BODY_FILE API_KEY SECONDS: one wrk run; sets requests, errors, rps, p50_ms, p95_ms, p99_ms.
measure() {
  local line
  line=$(BODY_FILE="$2" API_KEY="$3" CONNECTIONS=$CONNECTIONS RATE="${RATE:-}" \
    wrk -t$THREADS -c$CONNECTIONS -d"$4"s --timeout 10s -s bench/wrk/request.lua "$1" | grep '^RESULT')
  eval "${line#RESULT }"
}

# measured URL BODY_FILE API_KEY: warm-up (excluded), then the row; its req/s (with any errors noted) in CELL, the number in RPS.
measured() {
  measure "$1" "$2" "$3" "$WARMUP"
  measure "$1" "$2" "$3" "$ROW_SECONDS"
  RPS=$rps
  CELL=$(thousands "$rps")
  [ "$errors" = 0 ] || CELL="$CELL ($errors errors)"
}

# row LABEL GOAL CS_URL CS_BODY CS_KEY REF_URL REF_BODY: one line of the main table, CryptoSecure then the reference.
row() {
  log "  $1"
  measured "$3" "$4" "$5"; local cs=$RPS cs_cell=$CELL
  measured "$6" "$7" ""; local ref=$RPS ref_cell=$CELL
  local r; r=$(ratio "$cs" "$ref")
  MAIN+="| $1 | $cs_cell | $ref_cell | $r | ≥ $2 | $(met "$r" "$2") |"$'\n'
  LAST_CS=$cs
}

log "building (Release): src/Api, the reference, the seeder…"
for project in src/Api bench/CryptoSecure.Benchmarks.Reference bench/CryptoSecure.Benchmarks.Seeder; do
  dotnet build -c Release "$project" --nologo -v q >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
done

LOAD_START=$(load)
COMMIT=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench ':!*.md' || echo "+changes")
print_overload() {
  [ -n "${OVERLOAD:-}" ] || return 0
  echo
  echo "Overload (RSA-4096 JWE decryptions on $OVERLOAD_CONNECTIONS connections, wrk -t1, for $OVERLOAD_SECONDS s; probes: wrk -t1 -c2 paced at $PROBE_RATE req/s each, started 2 s in, for $PROBE_SECONDS s):"
  echo
  echo "Flood: $FLOOD_ROW."
  echo
  echo "| probe | requests | p50 ms | p99 ms | max ms | not 2xx | socket errors + timeouts | goal | met |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|---|"
  printf '%s' "$OVERLOAD"
}

if [ "$ONLY_OVERLOAD" = 1 ]; then
  python3 -c 'import json; print(json.dumps({"plaintext": "x" * 1024}))' >"$WORK/encrypt.json"
  source bench/compare-overload.sh
  echo "Issue 11 overload rows, $(date -u '+%Y-%m-%d %H:%M') UTC, commit $COMMIT, $(nproc) cores shared by the server and wrk; load average $LOAD_START at the start, $(load) at the end."
  print_overload
  exit 0
fi

log "starting the server, the reference and the Flask prototype…"
start_server "$WORK/data" "$(head -c 32 /dev/urandom | base64)" server
REF_PORT=$(free_port); REF=http://127.0.0.1:$REF_PORT
( cd "$REF_DIR"; exec env ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    dotnet CryptoSecure.Benchmarks.Reference.dll --urls "$REF" ) >"$WORK/reference.log" 2>&1 &
REF_PID=$!; STARTED+=("$REF_PID")
FLASK_PORT=$(free_port); FLASK=http://127.0.0.1:$FLASK_PORT
python3 bench/prototype/app.py "$FLASK_PORT" >"$WORK/flask.log" 2>&1 &
FLASK_PID=$!; STARTED+=("$FLASK_PID")
wait_live "$REF/bare" "$WORK/reference.log" "$REF_PID"
wait_live "$FLASK/get_keys/nobody" "$WORK/flask.log" "$FLASK_PID"

python3 -c 'import json; print(json.dumps({"plaintext": "x" * 1024}))' >"$WORK/encrypt.json"
python3 -c 'import json; print(json.dumps({"plaintext": "x" * 100}))' >"$WORK/prototype-encrypt.json"
declare -A KEYS
for BITS in 2048 3072; do
  KEYS[$BITS]=$(register "bench-$BITS@bench.example.com" "$BITS")
  body_from "$SERVER/api/v1/users/bench-$BITS@bench.example.com/encrypt" "$WORK/encrypt.json" ciphertext ciphertext "$WORK/decrypt-$BITS.json"
  body_from "$REF/encrypt/$BITS" "$WORK/encrypt.json" ciphertext ciphertext "$WORK/reference-decrypt-$BITS.json"
done
E2048=bench-2048@bench.example.com
body_from "$SERVER/encrypt/$E2048" "$WORK/prototype-encrypt.json" ciphertext ciphertext "$WORK/prototype-decrypt.json"
curl -sf -X POST "$FLASK/takeuser" -H 'Content-Type: application/json' -d "{\"Email\":\"$E2048\"}" >/dev/null
body_from "$FLASK/encrypt/$E2048" "$WORK/prototype-encrypt.json" ciphertext ciphertext "$WORK/flask-decrypt.json"

# A server that has run for a while: every route the table measures, once, before any row. The
# runtime recompiles hot methods with profile data (tiered PGO) over the first seconds of load, and
# it waits for a pause in new compilations before it counts calls: the server's own background
# work and each newly warmed route postpone it. Measured side by side on this 2-core machine,
# decryption ran at 2,229 req/s after 6 s of load and 3,542 after 30 s (the reference reaches its
# steady rate within seconds), so 5 s per route measured a server still partly on unoptimised code.
# The reference gets a warm-up of its own, so both sides are measured at their steady rate.
log "server warm-up: ${SERVER_WARMUP} s per route; reference warm-up: ${REF_WARMUP} s per route"
for BITS in 2048 3072; do
  measure "$SERVER/api/v1/users/bench-$BITS@bench.example.com/encrypt" "$WORK/encrypt.json" "" "$SERVER_WARMUP"
  measure "$SERVER/api/v1/users/bench-$BITS@bench.example.com/decrypt" "$WORK/decrypt-$BITS.json" "${KEYS[$BITS]}" "$SERVER_WARMUP"
done
measure "$SERVER/api/v1/users/$E2048/keys" "" "" "$SERVER_WARMUP"
measure "$SERVER/encrypt/$E2048" "$WORK/prototype-encrypt.json" "" "$SERVER_WARMUP"
measure "$SERVER/decrypt/$E2048" "$WORK/prototype-decrypt.json" "${KEYS[2048]}" "$SERVER_WARMUP"
for BITS in 2048 3072; do
  measure "$REF/encrypt/$BITS" "$WORK/encrypt.json" "" "$REF_WARMUP"
  measure "$REF/decrypt/$BITS" "$WORK/reference-decrypt-$BITS.json" "" "$REF_WARMUP"
done
measure "$REF/bare" "" "" "$REF_WARMUP"

log "main table (${ROW_SECONDS} s per row, ${WARMUP} s warm-up each), load average $LOAD_START"
MAIN=""
declare -A MAX
for BITS in 2048 3072; do
  row "encrypt JWE 1 KiB, RSA-$BITS" 0.5 "$SERVER/api/v1/users/bench-$BITS@bench.example.com/encrypt" "$WORK/encrypt.json" "" \
    "$REF/encrypt/$BITS" "$WORK/encrypt.json"
  MAX[$BITS]=$LAST_CS
done
for BITS in 2048 3072; do
  row "decrypt JWE 1 KiB, RSA-$BITS" 0.8 "$SERVER/api/v1/users/bench-$BITS@bench.example.com/decrypt" "$WORK/decrypt-$BITS.json" "${KEYS[$BITS]}" \
    "$REF/decrypt/$BITS" "$WORK/reference-decrypt-$BITS.json"
done
row "GET public keys (vs a bare GET)" 0.25 "$SERVER/api/v1/users/$E2048/keys" "" "" "$REF/bare" ""
if [ "$(curl -s -o /dev/null -w '%{http_code}' "$SERVER/api/v1/users/$E2048/jwks")" = 200 ]; then
  row "GET JWKS (vs a bare GET)" 0.25 "$SERVER/api/v1/users/$E2048/jwks" "" "" "$REF/bare" ""
else
  MAIN+="| GET JWKS (vs a bare GET) | not built yet | | | ≥ 0.25 | |"$'\n'
fi
row "GET /health/live (vs a bare GET)" 0.6 "$SERVER/health/live" "" "" "$REF/bare" ""
row "prototype /encrypt/{email} vs Flask (RSA-2048, 100 B)" 10 "$SERVER/encrypt/$E2048" "$WORK/prototype-encrypt.json" "" \
  "$FLASK/encrypt/$E2048" "$WORK/prototype-encrypt.json"
row "prototype /decrypt/{email} vs Flask (RSA-2048, 100 B)" 200 "$SERVER/decrypt/$E2048" "$WORK/prototype-decrypt.json" "${KEYS[2048]}" \
  "$FLASK/decrypt/$E2048" "$WORK/flask-decrypt.json"
stop "$FLASK_PID"; stop "$REF_PID"

log "p99 at half the maximum rate"
PACED=""
for BITS in 2048 3072; do
  TARGET=$(( ${MAX[$BITS]} / 2 ))
  RATE=$TARGET measure "$SERVER/api/v1/users/bench-$BITS@bench.example.com/encrypt" "$WORK/encrypt.json" "" "$WARMUP"
  RATE=$TARGET measure "$SERVER/api/v1/users/bench-$BITS@bench.example.com/encrypt" "$WORK/encrypt.json" "" "$ROW_SECONDS"
  PACED+="| encrypt JWE 1 KiB, RSA-$BITS | $(thousands "${MAX[$BITS]}") | $(thousands "$TARGET") | $(thousands "$rps") | $p50_ms | $p99_ms | < 10 ms | $(awk -v p="$p99_ms" 'BEGIN { print (p < 10 ? "yes" : "no") }') |"$'\n'
  [ "$errors" = 0 ] || PACED+="(the RSA-$BITS paced run had $errors errors)"$'\n'
done

# Batch vs single (issue 12): the same 1 KiB encryptions, BATCH_ITEMS to a request, against the
# single route's rate from the main table; items/s is what a caller with many items gets.
log "batch vs single: encrypt, ${BATCH_ITEMS} items a request"
python3 -c "import json; print(json.dumps({'items': [{'plaintext': 'x' * 1024}] * ${BATCH_ITEMS}}))" >"$WORK/encrypt-batch.json"
BATCH=""
for BITS in 2048 3072; do
  measured "$SERVER/api/v1/users/bench-$BITS@bench.example.com/encrypt/batch" "$WORK/encrypt-batch.json" ""
  ITEMS=$(awk -v r="$RPS" -v n="$BATCH_ITEMS" 'BEGIN { printf "%.0f", r * n }')
  BATCH+="| encrypt JWE 1 KiB, RSA-$BITS | $(thousands "${MAX[$BITS]}") | $CELL | $(thousands "$ITEMS") | $(ratio "$ITEMS" "${MAX[$BITS]}") |"$'\n'
done
stop "$SERVER_PID"
source bench/compare-scale.sh
source bench/compare-overload.sh
LOAD_END=$(load)

echo "Issue 11 comparison, $(date -u '+%Y-%m-%d %H:%M') UTC, commit $COMMIT, $(nproc) cores shared by the server, the references and wrk;"
echo "wrk -t$THREADS -c$CONNECTIONS, $ROW_SECONDS s per row after $WARMUP s of warm-up (excluded); load average $LOAD_START at the start, $LOAD_END at the end."
echo
echo "| req/s | CryptoSecure | reference | ratio | goal | met |"
echo "|---|---:|---:|---:|---|---|"
printf '%s' "$MAIN"
echo
echo "p99 at half the maximum rate (wrk paced with its delay() hook, $CONNECTIONS connections, $ROW_SECONDS s):"
echo
echo "| | max req/s (above) | offered req/s | achieved req/s | p50 ms | p99 ms | goal | met |"
echo "|---|---:|---:|---:|---:|---:|---|---|"
printf '%s' "$PACED"
echo
echo "Batch vs single (encrypt, ${BATCH_ITEMS}-item batches, same 1 KiB plaintexts; single = the main table's row):"
echo
echo "| | single req/s = items/s | batch req/s | batch items/s | items/s ratio |"
echo "|---|---:|---:|---:|---:|"
printf '%s' "$BATCH"
if [ -n "${SCALE:-}" ]; then
  echo
  echo "Store scale (RSA-2048, JWE 1 KiB; $SEEDING):"
  echo
  echo "| | req/s | ratio to 1,000 identities | goal | met | server RSS after the row |"
  echo "|---|---:|---:|---|---|---:|"
  printf '%s' "$SCALE"
fi
print_overload
