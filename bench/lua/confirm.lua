-- POSTs confirmation links, each token once: thread k takes every
-- (k+1)-th line of the file bench_tool printed.
local file = os.getenv("BENCH_TOKENS")
local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
local thread_counter = 0

function setup(thread)
  thread:set("tid", thread_counter)
  thread_counter = thread_counter + 1
end

local tokens = {}
function init(args)
  local i = 0
  for line in io.lines(file) do
    if i % threads == tid then
      tokens[#tokens + 1] = line
    end
    i = i + 1
  end
end

local n = 0
function request()
  n = n + 1
  -- Past the end, tokens are reused and answer "already used": bench/run
  -- counts confirmations in the database, not responses.
  local token = tokens[((n - 1) % #tokens) + 1]
  return wrk.format("POST", "/confirm/" .. token, { ["Content-Length"] = "0" }, "")
end
