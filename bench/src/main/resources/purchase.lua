-- One POST per request, every request the same shape: a bearer token taken in turn from
-- BENCH_TOKENS (one per line; each thread walks its own slice, wrapping around), a fresh
-- Idempotency-Key, and {"quantity":1}. BENCH_PATH is the target: a sale's purchases, or the
-- trivial endpoint for the baseline. Every BENCH_REPEAT_EVERY-th request (0: never) clicks
-- again with the previous shopper; each thread stops after BENCH_MAX_REQUESTS (0: never).
-- done() prints one JSON line with the figures.

local thread_count = 0
local threads = {}

function setup(thread)
   thread:set("id", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

function init(args)
   tokens = {}
   for line in io.lines(os.getenv("BENCH_TOKENS")) do
      tokens[#tokens + 1] = line
   end
   step = tonumber(os.getenv("BENCH_THREADS"))
   index = id
   sent = 0
   path = os.getenv("BENCH_PATH")
   max_requests = tonumber(os.getenv("BENCH_MAX_REQUESTS"))
   repeat_every = tonumber(os.getenv("BENCH_REPEAT_EVERY"))
   previous = nil
   statuses = {}
end

function request()
   sent = sent + 1
   if max_requests > 0 and sent > max_requests then
      wrk.thread:stop()
   end
   local token
   if repeat_every > 0 and previous ~= nil and sent % repeat_every == 0 then
      token = previous
   else
      token = tokens[(index % #tokens) + 1]
      index = index + step
   end
   previous = token
   return wrk.format("POST", path, {
      ["Authorization"] = "Bearer " .. token,
      ["Idempotency-Key"] = "bench-" .. id .. "-" .. sent,
      ["Content-Type"] = "application/json"
   }, '{"quantity":1}')
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local counts = {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do
         counts[status] = (counts[status] or 0) + n
      end
   end
   local parts = {}
   for status, n in pairs(counts) do
      parts[#parts + 1] = string.format('"%d":%d', status, n)
   end
   io.write(string.format(
      'BENCH_RESULT {"requests":%d,"seconds":%.3f,"errors":%d,"p50us":%d,"p99us":%d,"p999us":%d,"maxus":%d,"statuses":{%s}}\n',
      summary.requests, summary.duration / 1e6,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
      table.concat(parts, ",")))
end
