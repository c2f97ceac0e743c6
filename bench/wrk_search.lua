-- wrk script: GET /search for the queries of a TSV file (first column), each
-- connection walking the list from its own offset. Usage:
--   wrk -s bench/wrk_search.lua http://127.0.0.1:PORT -- QUERIES.tsv
local queries = {}
local counter = 0

local function urlencode(text)
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  for line in io.lines(args[1]) do
    local query = line:match("^([^\t]+)")
    if query then queries[#queries + 1] = "/search?k=10&q=" .. urlencode(query) end
  end
  counter = math.random(#queries)
end

function request()
  counter = counter % #queries + 1
  return wrk.format("GET", queries[counter])
end
