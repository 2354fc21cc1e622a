-- One POST per request, every request the same shape: a bearer token, a fresh Idempotency-Key,
-- and {"quantity":1}. BENCH_PATH is the target: a sale's purchases, or the trivial endpoint for
-- the baseline. BENCH_TOKENS holds one token a line, every line padded with spaces to the same
-- length, so that a shopper's token is found by seeking instead of loading the whole file: a
-- million tokens take a second per thread to load, too long for runs of one second.
--
-- Each thread numbers its requests 1, 2, ... after BENCH_OFFSET (the numbers an earlier run of
-- the same load already used), so that consecutive runs continue one sequence of shoppers and
-- keys. Every BENCH_REPEAT_EVERY-th number (0: never) clicks again as the previous shopper; each
-- thread stops after BENCH_MAX_REQUESTS in this run (0: never). done() prints one JSON line with
-- the figures, and with the latency histogram if BENCH_HISTOGRAM is 1.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("bench_timespec")

-- wrk's own clock runs for the whole -d, even after the threads stopped early: the span from the
-- first request to the last answer needs a clock of our own.
local function now_us()
   ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
   return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
end

local thread_count = 0
local threads = {}

function setup(thread)
   thread:set("id", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

function init(args)
   tokens = io.open(os.getenv("BENCH_TOKENS"), "rb")
   record = #tokens:read("*l") + 1
   token_count = tokens:seek("end") / record
   step = tonumber(os.getenv("BENCH_THREADS"))
   offset = tonumber(os.getenv("BENCH_OFFSET"))
   sent = offset
   path = os.getenv("BENCH_PATH")
   max_requests = tonumber(os.getenv("BENCH_MAX_REQUESTS"))
   repeat_every = tonumber(os.getenv("BENCH_REPEAT_EVERY"))
   statuses = {}
end

-- This thread's shopper n (from 1): thread i takes lines i, i + BENCH_THREADS, ..., wrapping around.
local function token(shopper)
   tokens:seek("set", ((id + step * (shopper - 1)) % token_count) * record)
   return tokens:read("*l"):match("^%S+")
end

function request()
   sent = sent + 1
   if max_requests > 0 and sent - offset > max_requests then
      wrk.thread:stop()
   end
   -- wrk calls request() once before the run to check the script, which starts thread 0's span
   -- a few milliseconds early.
   first_sent = first_sent or now_us()
   -- Numbering the shoppers from the request's number alone lets a run start anywhere in the
   -- sequence: every repeat_every-th request goes to the shopper before it again.
   local shopper = sent
   if repeat_every > 0 then
      shopper = sent - math.floor(sent / repeat_every)
   end
   return wrk.format("POST", path, {
      ["Authorization"] = "Bearer " .. token(shopper),
      ["Idempotency-Key"] = "bench-" .. id .. "-" .. sent,
      ["Content-Type"] = "application/json"
   }, '{"quantity":1}')
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   last_answered = now_us()
end

-- The non-empty buckets of wrk's latency histogram as [microseconds, count] pairs. latency(i)
-- scans the histogram from its lowest bucket on every call: quick for a one-second run, too
-- slow for a long one, hence only when asked.
local function histogram(latency)
   local buckets = {}
   for i = 1, #latency do
      local micros, count = latency(i)
      buckets[i] = string.format("[%d,%d]", micros, count)
   end
   return table.concat(buckets, ",")
end

function done(summary, latency, requests)
   local counts, last_sequence, first, last = {}, 0, math.huge, 0
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do
         counts[status] = (counts[status] or 0) + n
      end
      last_sequence = math.max(last_sequence, thread:get("sent"))
      first = math.min(first, thread:get("first_sent") or math.huge)
      last = math.max(last, thread:get("last_answered") or 0)
   end
   local parts = {}
   for status, n in pairs(counts) do
      parts[#parts + 1] = string.format('"%d":%d', status, n)
   end
   io.write(string.format(
      'BENCH_RESULT {"requests":%d,"seconds":%.3f,"spanSeconds":%.6f,"lastSequence":%d,"errors":%d,'
         .. '"p50us":%d,"p99us":%d,"p999us":%d,"maxus":%d,"statuses":{%s},"latency":[%s]}\n',
      summary.requests, summary.duration / 1e6, math.max(0, last - first) / 1e6, last_sequence,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
      table.concat(parts, ","), os.getenv("BENCH_HISTOGRAM") == "1" and histogram(latency) or ""))
end
