-- request.lua - wrk script for every endpoint of the benchmark. Environment:
--   BENCH_METHOD (GET), BENCH_BODY (a body; "{project}" becomes a random project id),
--   BENCH_TOKENS (a file of bearer tokens; each request takes the next one, and
--   each thread starts at its own slice so that no two threads share a citizen),
--   BENCH_THREADS (wrk's -t, so that the slices are as large as they can be).
-- At the end it prints the count of answers by status class, so the caller can
-- tell work done from errors.
local function setting(name)
   local value = os.getenv(name)
   if value == "" then return nil end
   return value
end
local method = setting("BENCH_METHOD") or "GET"
local body = setting("BENCH_BODY")
local tokens_file = setting("BENCH_TOKENS")
local projects = setting("BENCH_PROJECTS")
local thread_count = tonumber(setting("BENCH_THREADS") or "8")
local threads = {}
local counter = 1

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   tokens = {}
   if tokens_file then
      for line in io.lines(tokens_file) do tokens[#tokens + 1] = line end
   end
   slice = math.floor(#tokens / thread_count)
   next_token = (id - 1) * slice + 1
   project_ids = {}
   if projects then
      for p in string.gmatch(projects, "%d+") do project_ids[#project_ids + 1] = p end
   end
   statuses = { ["2xx"] = 0, ["4xx"] = 0, ["5xx"] = 0, other = 0 }
   math.randomseed(id * 7919)
end

function request()
   local headers = {}
   if #tokens > 0 then
      headers["Authorization"] = "Bearer " .. tokens[next_token]
      next_token = next_token % #tokens + 1
   end
   local payload = body
   if payload then
      headers["Content-Type"] = "application/json"
      if #project_ids > 0 then
         payload = string.gsub(payload, "{project}", project_ids[math.random(#project_ids)])
      end
   end
   return wrk.format(method, nil, headers, payload)
end

function response(status, headers, response_body)
   local class = math.floor(status / 100)
   if class == 2 then statuses["2xx"] = statuses["2xx"] + 1
   elseif class == 4 then statuses["4xx"] = statuses["4xx"] + 1
   elseif class == 5 then statuses["5xx"] = statuses["5xx"] + 1
   else statuses.other = statuses.other + 1 end
end

function done(summary, latency, requests)
   local total = { ["2xx"] = 0, ["4xx"] = 0, ["5xx"] = 0, other = 0 }
   for _, thread in ipairs(threads) do
      local s = thread:get("statuses")
      for k, v in pairs(s) do total[k] = total[k] + v end
   end
   io.write(string.format("BENCH rps=%.1f p50_ms=%.3f p99_ms=%.3f ok=%d client_errors=%d server_errors=%d socket_errors=%d\n",
      summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      total["2xx"], total["4xx"], total["5xx"],
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
