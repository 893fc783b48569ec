# The overload rows of bench/compare.sh (sourced by it, uses its functions and variables): while
# OVERLOAD_CONNECTIONS connections (default 256, one wrk thread) send RSA-4096 JWE decryptions as
# fast as the server answers, two paced probes (2 connections each, PROBE_RATE requests/s, default
# 50) read /health/live and a public-key ring. A fresh server, its per-client connection share off
# (every connection here comes from 127.0.0.1). Sets OVERLOAD.
if [ "$SKIP_OVERLOAD" = 1 ]; then
  return 0
fi
OVERLOAD_CONNECTIONS=${OVERLOAD_CONNECTIONS:-256}
OVERLOAD_SECONDS=${OVERLOAD_SECONDS:-$(( ROW_SECONDS + 4 ))}
PROBE_RATE=${PROBE_RATE:-50}

log "overload: $OVERLOAD_CONNECTIONS connections of RSA-4096 decryptions, probes at $PROBE_RATE req/s"
SERVER_ENV="Load__Connections__MaxConnectionsPerClient=0 ${OVERLOAD_ENV:-}" start_server "$WORK/overload" "$(head -c 32 /dev/urandom | base64)" overload
E4096=bench-4096@bench.example.com
K4096=$(register "$E4096" 4096)
body_from "$SERVER/api/v1/users/$E4096/encrypt" "$WORK/encrypt.json" ciphertext ciphertext "$WORK/decrypt-4096.json"
# Warm the routes (tiered compilation), then the flood with the probes starting 2 s into it.
measure "$SERVER/api/v1/users/$E4096/decrypt" "$WORK/decrypt-4096.json" "$K4096" "$SERVER_WARMUP"
measure "$SERVER/health/live" "" "" 1
measure "$SERVER/api/v1/users/$E4096/keys" "" "" 1
BODY_FILE="$WORK/decrypt-4096.json" API_KEY="$K4096" CONNECTIONS=$OVERLOAD_CONNECTIONS \
  wrk -t1 -c"$OVERLOAD_CONNECTIONS" -d"$OVERLOAD_SECONDS"s --timeout 10s -s bench/wrk/request.lua \
  "$SERVER/api/v1/users/$E4096/decrypt" | grep '^RESULT' >"$WORK/flood.result" &
FLOOD=$!
sleep 2
PROBE_SECONDS=$(( OVERLOAD_SECONDS - 4 ))
RATE=$PROBE_RATE CONNECTIONS=2 wrk -t1 -c2 -d"$PROBE_SECONDS"s --timeout 10s -s bench/wrk/request.lua \
  "$SERVER/health/live" | grep '^RESULT' >"$WORK/probe-health.result" &
PROBE_HEALTH=$!
RATE=$PROBE_RATE CONNECTIONS=2 wrk -t1 -c2 -d"$PROBE_SECONDS"s --timeout 10s -s bench/wrk/request.lua \
  "$SERVER/api/v1/users/$E4096/keys" | grep '^RESULT' >"$WORK/probe-keys.result" &
PROBE_KEYS=$!
wait "$FLOOD" "$PROBE_HEALTH" "$PROBE_KEYS"
OVERLOAD_RSS=$(rss_mb "$SERVER_PID")
stop "$SERVER_PID"

# overload_row LABEL RESULT_FILE GOAL_MS: a probe's line; goal met when p99 < GOAL_MS and nothing timed out or failed.
overload_row() {
  local line; line=$(cat "$2"); eval "${line#RESULT }"
  OVERLOAD+="| $1 | $(thousands "$requests") | $p50_ms | $p99_ms | $max_ms | $non2xx | $(( socket + timeouts )) | p99 < $3 ms | $(awk -v p="$p99_ms" -v g="$3" -v e="$errors" 'BEGIN { print (p < g && e == 0 ? "yes" : "no") }') |"$'\n'
}
OVERLOAD=""
line=$(cat "$WORK/flood.result"); eval "${line#RESULT }"
FLOOD_ROW="$(thousands "$requests") requests in $OVERLOAD_SECONDS s ($(thousands "$rps") req/s), $(thousands "$non2xx") of them not 2xx (503 busy), $socket socket errors, $timeouts timeouts, p50 $p50_ms ms, p99 $p99_ms ms; server RSS after: $OVERLOAD_RSS"
overload_row "GET /health/live" "$WORK/probe-health.result" 100
overload_row "GET public keys" "$WORK/probe-keys.result" 250
