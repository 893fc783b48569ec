-- wrk script: POST the JSON body in $BODY_FILE (with $API_KEY as a bearer token when set) and
-- print requests/s, p50 and p95 latency and the non-2xx count in one line at the end.
local body_file = os.getenv("BODY_FILE")
local f = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local api_key = os.getenv("API_KEY")
if api_key and api_key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. api_key
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d errors=%d rps=%.0f p50_ms=%.2f p95_ms=%.2f\n",
    summary.requests, bad, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
