#!/usr/bin/env bash
# Cross-check of the encrypt/decrypt throughput with wrk (a C load generator, lighter than the
# .NET client): starts the Release server on a loopback port with a temporary data directory,
# registers one identity per key size, runs wrk (1 thread, 2 and 8 connections, DURATION seconds
# each) against encrypt and decrypt (JWE, 1 KiB plaintext), and stops the server.
# Needs: wrk (apt-get install -y wrk), curl, python3, and `dotnet build -c Release src/Api` done.
# Usage: bench/wrk/run.sh [DURATION]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-5}
DLL=src/Api/bin/Release/net10.0/CryptoSecure.Api.dll
[ -f "$DLL" ] || { echo "build first: dotnet build -c Release src/Api" >&2; exit 1; }
WORK=$(mktemp -d /tmp/cryptosecure-wrk-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
BASE=http://127.0.0.1:$PORT
(
  cd "$(dirname "$DLL")"
  # env(1), because a variable name with dots cannot be set with the shell's NAME=value syntax.
  exec env ASPNETCORE_ENVIRONMENT=Production \
    Security__MasterKey="$(head -c 32 /dev/urandom | base64)" \
    Storage__DataDirectory="$WORK/data" \
    RateLimiting__Enabled=false Registration__EmailVerification=Off \
    Keys__Pool__2048=0 Keys__Pool__3072=0 Keys__Pool__4096=0 \
    Logging__LogLevel__Default=Warning \
    dotnet CryptoSecure.Api.dll --urls "$BASE" >"$WORK/server.log" 2>&1
) &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do curl -sf "$BASE/health/live" >/dev/null && break; sleep 0.2; done
curl -sf "$BASE/health/live" >/dev/null || { echo "the server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1; }

PLAINTEXT=$(python3 -c 'print("x"*1024)')
declare -A KEYS
for BITS in 2048 3072; do
  EMAIL="wrk-$BITS@bench.example.com"
  KEYS[$BITS]=$(curl -sf -X POST "$BASE/api/v1/users" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"keySize\":$BITS}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')
  printf '{"plaintext":"%s"}' "$PLAINTEXT" >"$WORK/encrypt-$BITS.json"
  CT=$(curl -sf -X POST "$BASE/api/v1/users/$EMAIL/encrypt" -H 'Content-Type: application/json' \
    --data-binary @"$WORK/encrypt-$BITS.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ciphertext"])')
  printf '{"ciphertext":"%s"}' "$CT" >"$WORK/decrypt-$BITS.json"
done

# run OP BITS CONNECTIONS SECONDS: one wrk run, its RESULT line on stdout.
run() {
  local auth=""
  [ "$1" = decrypt ] && auth=${KEYS[$2]}
  BODY_FILE="$WORK/$1-$2.json" API_KEY="$auth" wrk -t1 -c"$3" -d"$4"s -s bench/wrk/request.lua \
    "$BASE/api/v1/users/wrk-$2@bench.example.com/$1" | grep '^RESULT'
}

# Warm-up (excluded): every operation at both connection counts, as the .NET benchmark does.
for CONN in 2 8; do for BITS in 2048 3072; do for OP in encrypt decrypt; do run $OP $BITS $CONN 2 >/dev/null; done; done; done

echo "| Operation | key | connections | requests | errors | req/s | p50 ms | p95 ms |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for BITS in 2048 3072; do
  for OP in encrypt decrypt; do
    for CONN in 2 8; do
      LINE=$(run $OP $BITS $CONN "$DURATION")
      eval "${LINE#RESULT }"
      echo "| $OP | RSA-$BITS | $CONN | $requests | $errors | $rps | $p50_ms | $p95_ms |"
    done
  done
done
