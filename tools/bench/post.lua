-- wrk: the Register occurrence POST, as a logged-in requester with a CSRF token.
-- BENCH_COOKIES: "sessionid=…; csrftoken=…" values separated by "|" (rotated, so no session
-- collects thousands of flash messages); BENCH_BODY: the urlencoded form.
local cookies = {}
for c in string.gmatch(os.getenv("BENCH_COOKIES"), "[^|]+") do
  table.insert(cookies, c)
end
local body = os.getenv("BENCH_BODY")
local n = 0

request = function()
  n = n + 1
  local headers = {}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Cookie"] = cookies[(n % #cookies) + 1]
  return wrk.format("POST", nil, headers, body)
end
