-- Replays a prepared request file (BENCH_REQUESTS): one request per line,
-- "METHOD<TAB>PATH<TAB>HEADER<TAB>BODY". Each wrk thread walks its own share of the lines, so a
-- line that must be sent once (an open quiz to evaluate) is sent once. Prints one JSON line.

local requests = {}
local threads = {}

local function load(path)
  local list = {}
  for line in io.lines(path) do
    local method, target, header, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local name, value = header:match("^([^:]+):%s*(.*)$")
    local headers = { ["Content-Type"] = "application/json", ["Host"] = os.getenv("BENCH_HOST") or "127.0.0.1" }
    headers[name] = value
    list[#list + 1] = wrk.format(method, target, headers, body ~= "" and body or nil)
  end
  return list
end

function setup(thread)
  thread:set("index", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  requests = load(os.getenv("BENCH_REQUESTS"))
  step = tonumber(os.getenv("BENCH_THREADS") or "1")
  position = index + 1
end

function request()
  local r = requests[position]
  position = position + step
  if position > #requests then
    position = index + 1 -- wrap (read scenarios cycle through the learners)
  end
  return r
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
