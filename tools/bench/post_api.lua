-- wrk: the REST API's occurrence POST (api/views.py), as the owner with a personal token.
-- BENCH_TOKEN: the token; BENCH_BODY: the JSON body.
local token = os.getenv("BENCH_TOKEN")
local body = os.getenv("BENCH_BODY")

request = function()
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. token
  return wrk.format("POST", nil, headers, body)
end
