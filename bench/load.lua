-- wrk script for bench/load.py and bench/editing.py: readers cycle through the paths
-- given after "--", and every response is counted by class, so 5xx and other failures
-- are reported, and by the page cache's X-Page-Cache header (hit, miss, or neither).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  paths = args
  if #paths == 0 then paths = { "/" } end
  -- Threads start far apart in the list (golden-ratio steps), so that no two walk it in
  -- step: math.random is unseeded in each thread, so it gave them all the same start, and
  -- every page a miss left was then requested twice while it rendered.
  position = math.floor(((id or 1) * 0.6180339887 % 1) * #paths)
  ok, redirects, client_errors, server_errors = 0, 0, 0, 0
  cache_hits, cache_misses = 0, 0
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1
  elseif status >= 400 then client_errors = client_errors + 1
  elseif status >= 300 then redirects = redirects + 1
  else ok = ok + 1 end
  local cache = headers["X-Page-Cache"] or headers["x-page-cache"]
  if cache == "hit" then cache_hits = cache_hits + 1
  elseif cache == "miss" then cache_misses = cache_misses + 1 end
end

function done(summary, latency, requests)
  local totals = { ok = 0, redirects = 0, client_errors = 0, server_errors = 0, cache_hits = 0, cache_misses = 0 }
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do totals[key] = totals[key] + thread:get(key) end
  end
  local errors = summary.errors
  io.write(string.format(
    "HOLR-LOAD {\"requests\": %d, \"duration_us\": %d, \"ok\": %d, \"redirects\": %d, \"client_errors\": %d, " ..
    "\"server_errors\": %d, \"connect_errors\": %d, \"read_errors\": %d, \"write_errors\": %d, " ..
    "\"timeouts\": %d, \"non_2xx_3xx\": %d, \"cache_hits\": %d, \"cache_misses\": %d, " ..
    "\"latency_mean_us\": %.0f, \"latency_p50_us\": %d, " ..
    "\"latency_p90_us\": %d, \"latency_p99_us\": %d, \"latency_max_us\": %d}\n",
    summary.requests, summary.duration, totals.ok, totals.redirects, totals.client_errors,
    totals.server_errors, errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    totals.cache_hits, totals.cache_misses,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
