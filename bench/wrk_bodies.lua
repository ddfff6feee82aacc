-- wrk script for bench/api.py: POSTs the JSON bodies of a file, one per line, in turn,
-- and prints one JSON line with the figures at the end.
local bodies, i = {}, 0

function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
end

function request()
  i = i % #bodies + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"p50_us": %d, "p99_us": %d, "requests": %d, "duration_us": %d, "errors": %d}\n',
    latency:percentile(50), latency:percentile(99), summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status))
end
