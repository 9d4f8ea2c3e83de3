"""The wrk scripts of the search rows: the *cached* rows' 80 request paths, and the *varied*
rows' Lua that builds every request afresh (random words, typos, filters, postcodes)."""

from __future__ import annotations

import json
import random

from bench.scenarios.search_data import WORDS_BY_LANG
from bench.wrk import paths_lua
from coalition.taxonomy import EXPERIENCE_FIELDS

QUERIES = [
    "mentorat emploi",
    "werk zoeken",
    "digital skills",
    "formation",
    "jongeren",
    "emplois",
    "mentorat emplio",
    "orientation",
    "",
    "langue",
]
FILTERS = [
    "",
    "&theme=employment",
    "&language=nl",
    "&age=19",
    "&theme=education&format=group",
    "&near=1000&radius_km=25",
    "&open=1",
    "&cost=free",
]


def cached_lua() -> str:
    """The cached rows' script: 80 request paths (queries × filters) in turn."""
    paths = [
        f"/api/v1/programmes?lang=fr&q={q.replace(' ', '+')}{f}" for q in QUERIES for f in FILTERS
    ]
    random.Random(3).shuffle(paths)
    return paths_lua(paths)


#: filters a varied request may add (each with this probability)
VARIED_FILTERS = (
    (
        0.25,
        "theme",
        ["employment", "education", "entrepreneurship", "language", "digital", "wellbeing"],
    ),
    (0.15, "language", ["fr", "nl", "en"]),
    (0.10, "format", ["group", "one_to_one", "online", "hybrid"]),
    (0.10, "cost", ["free", "contribution"]),
    (0.15, "age", [str(n) for n in range(15, 30)]),
    (0.05, "open", ["1"]),
)
VARIED_LUA = """
local words = {WORDS}
local postcodes = {POSTCODES}
local filters = {FILTERS}
local langs = {"fr", "nl", "en"}
local letters = "abcdefghijklmnoprstuvwz"
local function typo(word)
  local i = math.random(2, #word)
  local c = math.random(1, #letters)
  return word:sub(1, i - 1) .. letters:sub(c, c) .. word:sub(i + 1)
end
local function escape(text)
  return (text:gsub("[^%w%-_.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
init = function(args)
  math.randomseed(os.time() * 1000 + math.floor(os.clock() * 1000000) + #tostring({}))
end
request = function()
  local parts = {}
  for n = 1, math.random(1, 3) do
    local word = words[math.random(#words)]
    if math.random() < 0.15 then word = typo(word) end
    parts[#parts + 1] = word
  end
  local path = "{BASE}lang=" .. langs[math.random(3)]
    .. "&q=" .. escape(table.concat(parts, " "))
  for _, f in ipairs(filters) do
    if math.random() < f[1] then
      path = path .. "&" .. f[2] .. "=" .. f[3][math.random(#f[3])]
    end
  end
  if math.random() < 0.35 then
    path = path .. "&near=" .. postcodes[math.random(#postcodes)]
      .. "&radius_km=" .. math.random(5, 40)
  end
  local page = math.random(1, 4)
  if page > 1 then path = path .. "&page=" .. page end
  return wrk.format("GET", path)
end
"""


def _lua_list(values: list[str]) -> str:
    return "{" + ",".join(json.dumps(v, ensure_ascii=False) for v in values) + "}"


#: the mentor path's filters a varied mentor request may add, besides the directory's
MENTOR_VARIED_FILTERS = (
    (0.35, "experience", list(EXPERIENCE_FIELDS)),
    (0.25, "mentor_language", ["fr", "nl", "en"]),
    (0.20, "mentor_hours", ["1", "2", "3", "4", "6"]),
)


def varied_lua(
    postcodes: list[str],
    base: str = "/api/v1/programmes?",
    extra_filters: tuple = (),
) -> str:
    """The wrk script of the varied rows: every request a new combination, on the search
    API (`base`, e.g. with `seeking_mentors=1&`) with the directory's filters and
    `extra_filters` (share, parameter, values)."""
    words = [w for lang in WORDS_BY_LANG.values() for w in lang]
    filters = (
        "{"
        + ",".join(
            f"{{{share}, {json.dumps(name)}, {_lua_list(values)}}}"
            for share, name, values in (*VARIED_FILTERS, *extra_filters)
        )
        + "}"
    )
    return (
        VARIED_LUA.replace("{BASE}", base)
        .replace("{WORDS}", _lua_list(words))
        .replace("{POSTCODES}", _lua_list(postcodes))
        .replace("{FILTERS}", filters)
    )
