-- wrk script: each request uses the next (cookie, path) pair from the targets file, so the
-- load spreads over many companies and assessments.
local targets = {}
for line in io.lines(os.getenv("KOJO_TARGETS")) do
  local cookie, path = line:match("^(%S+) (%S+)$")
  if cookie then targets[#targets + 1] = { cookie = cookie, path = path } end
end
local i = 0
request = function()
  i = i % #targets + 1
  local t = targets[i]
  return wrk.format("GET", t.path, { ["Cookie"] = t.cookie })
end
