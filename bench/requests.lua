-- wrk script for bench/run.py: cycles over prepared requests and reports JSON.
--
--   wrk -t THREADS -s bench/requests.lua URL -- REQUESTS.tsv EXPECTED_STATUS THREADS
--
-- REQUESTS.tsv has one request per line: METHOD<TAB>PATH<TAB>COOKIE<TAB>BODY. The lines are
-- dealt out to the threads, so with enough lines no request is sent twice (a submitted draft
-- must not be submitted again). done() prints one line, "BENCH {json}": the request count,
-- duration, latency percentiles (microseconds), responses with another status than
-- EXPECTED_STATUS, and how often a thread ran out of lines and started over ("wrapped").

local threads = {}
local created = 0

function setup(thread)
  thread:set("id", created)
  created = created + 1
  table.insert(threads, thread)
end

local function parse(line)
  local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
  local headers = {}
  if cookie ~= "" then
    headers["Cookie"] = cookie
  end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  else
    body = nil
  end
  return wrk.format(method, path, headers, body)
end

function init(args)
  expected_status = tonumber(args[2] or "200")
  local total = tonumber(args[3] or "1")
  unexpected, wrapped, index = 0, 0, 0
  requests = {}
  local lines = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(lines, line)
    end
  end
  for n, line in ipairs(lines) do
    if (n - 1) % total == id then
      table.insert(requests, parse(line))
    end
  end
  if #requests == 0 then
    -- Fewer lines than threads (a page everyone loads): every thread sends the first one.
    table.insert(requests, parse(lines[1]))
  end
end

function request()
  index = index + 1
  if index > #requests then
    index = 1
    wrapped = wrapped + 1
  end
  return requests[index]
end

function response(status, headers, body)
  if status ~= expected_status then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests_summary)
  local bad, wraps = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("unexpected") or 0)
    wraps = wraps + (thread:get("wrapped") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
      .. '"errors": %d, "unexpected": %d, "wrapped": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.status + errors.timeout,
    bad, wraps))
end
