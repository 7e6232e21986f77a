-- POSTs the real signing form: one valid form token (fetched once by
-- bench/run, tokens are reusable) and a unique address per request.
local token = os.getenv("BENCH_FORM_TOKEN") or ""
local slug = os.getenv("BENCH_SLUG") or "bench"
local run = os.getenv("BENCH_RUN") or "0"
local thread_counter = 0

function setup(thread)
  thread:set("tid", thread_counter)
  thread_counter = thread_counter + 1
end

local n = 0
function request()
  n = n + 1
  local who = run .. "-" .. tid .. "-" .. n
  local body = "name=Bench+Signer+" .. who
    .. "&titles=Membre+de+la+coop%C3%A9rative"
    .. "&email=bench-" .. who .. "%40example.org"
    .. "&city=Sherbrooke&visibility=public&consent=yes"
    .. "&form_token=" .. token
  return wrk.format("POST", "/letters/" .. slug .. "/sign",
    { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
