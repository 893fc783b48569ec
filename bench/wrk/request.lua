-- wrk script shared by run.sh and compare.sh. With $BODY_FILE set: POST that JSON body, with
-- $API_KEY as a bearer token when set; without it: GET. With $RATE set (requests/s over all of
-- wrk's connections, $CONNECTIONS of them): each connection waits before each request so that
-- the whole run offers about RATE requests/s, with random spacing (uniform, mean CONNECTIONS/RATE s)
-- so the connections do not march in step. At the end one line:
-- RESULT requests=… errors=… rps=… p50_ms=… p95_ms=… p99_ms=… non2xx=… socket=… timeouts=…
-- (errors: non-2xx, connect, read, write, timeouts; then the same split by kind).
local body_file = os.getenv("BODY_FILE")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end
local api_key = os.getenv("API_KEY")
if api_key and api_key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. api_key
end

local rate = tonumber(os.getenv("RATE") or "")
if rate and rate > 0 then
  local mean_ms = 1000 * tonumber(os.getenv("CONNECTIONS")) / rate
  function setup(thread)
    thread:set("seed", math.random(1, 1e9))
  end
  function init(args)
    math.randomseed(seed)
  end
  function delay()
    return math.random() * 2 * mean_ms
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d errors=%d rps=%.0f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket=%d timeouts=%d\n",
    summary.requests, bad, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write, summary.errors.timeout))
end
