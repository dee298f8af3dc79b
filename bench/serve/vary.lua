-- wrk script for bench/serve: the filtered incidents query with a different
-- query string on (nearly) every request, so Truce's response cache, which is
-- keyed on the whole target, rarely answers. Each request draws one of
-- 90 start days (2020-02-01 .. 2020-04-29) x 30 window lengths (7..36 days)
-- x 20 bbox offsets (0.002 degree steps east) = 54 000 queries, uniformly at
-- random (seeded from the run number given as the script's argument and the
-- wrk thread, so that a run does not replay the previous run's URLs, which
-- would still be in the cache). The cache holds about 1 500 of these
-- answers before it is cleared (64 MB budget), so a few per cent of the
-- requests are hits.
--
--   wrk -t2 -c64 -d10s --latency -s bench/serve/vary.lua http://127.0.0.1:PORT -- RUN [AGREEMENT]
--   (RUN: a number, different for every run against the same server; AGREEMENT:
--   default idlib-2020-protocol)

local agreement = "idlib-2020-protocol"
local month_days = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}  -- 2020

-- Day d of 2020 (0 = 1 January) as YYYY-MM-DD.
local function iso(d)
  local m = 1
  while d >= month_days[m] do
    d = d - month_days[m]
    m = m + 1
  end
  return string.format("2020-%02d-%02d", m, d + 1)
end

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
  table.insert(threads, thread)
end

function init(args)
  local run = tonumber(args[1]) or 0
  if args[2] then agreement = args[2] end
  math.randomseed(7919 * run + (seed or 1))
end

function request()
  local start = 31 + math.random(0, 89)  -- 1 February is day 31
  local span = math.random(7, 36)
  local shift = 0.002 * math.random(0, 19)
  local path = string.format(
    "/api/v1/incidents?agreement=%s&status=violation&bbox=%.3f,35.5,%.3f,35.9&from=%s&to=%s&limit=100",
    agreement, 36.4 + shift, 36.9 + shift, iso(start), iso(start + span))
  return wrk.format("GET", path)
end
