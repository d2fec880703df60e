-- wrk script for the filter-change load test: POSTs the map callback's request, rotating through the bodies
-- in the file named after `--` (one JSON body per line), counts non-2xx answers as errors and prints one
-- machine-readable summary line.
--
--   wrk -t2 -c20 -d30s --latency -s bench/post.lua http://127.0.0.1:PORT -- bodies.jsonl

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local bodies = {}
local counter = 0
non2xx = 0

function init(args)
   local path = args[1]
   if path == nil then
      error("post.lua needs the bodies file: wrk ... -s bench/post.lua URL -- bodies.jsonl")
   end
   for line in io.lines(path) do
      if #line > 0 then
         table.insert(bodies, line)
      end
   end
   if #bodies == 0 then
      error("no request bodies in " .. path)
   end
   -- Threads start at different states, so both do not ask for the same one at the same moment.
   counter = (id or 0) * 3
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Accept-Encoding"] = "gzip, deflate, br, zstd"  -- what Chromium sends
end

function request()
   counter = counter + 1
   return wrk.format("POST", "/_dash-update-component", nil, bodies[(counter % #bodies) + 1])
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local failed = 0
   for _, thread in ipairs(threads) do
      failed = failed + (thread:get("non2xx") or 0)
   end
   local errors = summary.errors
   io.write(string.format(
      "ATLAS_WRK requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d non2xx=%d " ..
      "connect=%d read=%d write=%d timeout=%d status=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), failed, errors.connect, errors.read, errors.write, errors.timeout,
      errors.status))
end
