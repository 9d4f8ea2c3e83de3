"""Build the vendored BE/FR/NL postcode file `coalition/data/postcodes.csv.gz`.

The platform must not depend at run time on the 150 MB `countrystatecity-*` packages, so
this script reads them once and writes a compact file that is committed to the repository.
It installs nothing itself; run it from a throwaway virtualenv:

    python3 -m venv /tmp/pc && /tmp/pc/bin/pip install \
        countrystatecity-postal-codes countrystatecity-countries
    /tmp/pc/bin/python scripts/build_postcodes.py

Sources (both ODbL 1.0, from the countries-states-cities database):
- `countrystatecity-postal-codes`: the postcodes, their locality and state code. Belgian
  entries carry coordinates; French and Dutch ones do not.
- `countrystatecity-countries`: cities with coordinates and the states' names. French and
  Dutch postcodes get the coordinates of the city of the same name (in their department or
  province when known); failing that, of the numerically nearest postcode that has some.

Belgium is bilingual: `ALIASES` below adds the French, Dutch and English names of the
Brussels municipalities and of the larger cities, so that "Brussel", "Anvers" or "Luik"
are found as well as the postcode file's own name.

Output columns: postcode, country, city, aliases ("|"-separated), province, latitude,
longitude. Dutch postcodes are kept at their 4-digit level.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import unicodedata
from pathlib import Path

import countrystatecity_countries
import countrystatecity_postal_codes

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "coalition" / "data" / "postcodes.csv.gz"
POSTAL = Path(countrystatecity_postal_codes.__file__).parent / "data" / "by-country"
WORLD = Path(countrystatecity_countries.__file__).parent / "data" / "by-country"
COUNTRIES = ("BE", "FR", "NL")

#: (country, postcode) -> (main name, other names); the main name replaces the source's
#: locality where the source names a sub-municipality (4000 is "Glain" there, not Liège).
ALIASES: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("BE", "1000"): ("Bruxelles", ("Brussel", "Brussels")),
    ("BE", "1020"): ("Laeken", ("Laken", "Bruxelles", "Brussel", "Brussels")),
    ("BE", "1030"): ("Schaerbeek", ("Schaarbeek",)),
    ("BE", "1040"): ("Etterbeek", ()),
    ("BE", "1050"): ("Ixelles", ("Elsene",)),
    ("BE", "1060"): ("Saint-Gilles", ("Sint-Gillis",)),
    ("BE", "1070"): ("Anderlecht", ()),
    ("BE", "1080"): ("Molenbeek-Saint-Jean", ("Sint-Jans-Molenbeek", "Molenbeek")),
    ("BE", "1081"): ("Koekelberg", ()),
    ("BE", "1082"): ("Berchem-Sainte-Agathe", ("Sint-Agatha-Berchem",)),
    ("BE", "1083"): ("Ganshoren", ()),
    ("BE", "1090"): ("Jette", ()),
    ("BE", "1120"): ("Neder-Over-Heembeek", ("Bruxelles", "Brussel")),
    ("BE", "1130"): ("Haren", ("Bruxelles", "Brussel")),
    ("BE", "1140"): ("Evere", ()),
    ("BE", "1150"): ("Woluwe-Saint-Pierre", ("Sint-Pieters-Woluwe",)),
    ("BE", "1160"): ("Auderghem", ("Oudergem",)),
    ("BE", "1170"): ("Watermael-Boitsfort", ("Watermaal-Bosvoorde",)),
    ("BE", "1180"): ("Uccle", ("Ukkel",)),
    ("BE", "1190"): ("Forest", ("Vorst",)),
    ("BE", "1200"): ("Woluwe-Saint-Lambert", ("Sint-Lambrechts-Woluwe",)),
    ("BE", "1210"): ("Saint-Josse-ten-Noode", ("Sint-Joost-ten-Node",)),
    ("BE", "2000"): ("Antwerpen", ("Anvers", "Antwerp")),
    ("BE", "3000"): ("Leuven", ("Louvain",)),
    ("BE", "2800"): ("Mechelen", ("Malines",)),
    ("BE", "3500"): ("Hasselt", ()),
    ("BE", "4000"): ("Liège", ("Luik", "Liege", "Lüttich")),
    ("BE", "5000"): ("Namur", ("Namen",)),
    ("BE", "6000"): ("Charleroi", ()),
    ("BE", "7000"): ("Mons", ("Bergen",)),
    ("BE", "7500"): ("Tournai", ("Doornik",)),
    ("BE", "8000"): ("Brugge", ("Bruges",)),
    ("BE", "8400"): ("Oostende", ("Ostende", "Ostend")),
    ("BE", "8500"): ("Kortrijk", ("Courtrai",)),
    ("BE", "9000"): ("Gent", ("Gand", "Ghent")),
    ("BE", "1300"): ("Wavre", ("Waver",)),
    ("BE", "1400"): ("Nivelles", ("Nijvel",)),
    ("BE", "4800"): ("Verviers", ()),
    ("FR", "75001"): ("Paris", ("Parijs",)),
    ("FR", "59000"): ("Lille", ("Rijsel",)),
    ("FR", "13001"): ("Marseille", ("Marseilles",)),
    ("FR", "69001"): ("Lyon", ()),
    ("NL", "1011"): ("Amsterdam", ()),
    ("NL", "2511"): ("Den Haag", ("'s-Gravenhage", "La Haye", "The Hague")),
    ("NL", "3011"): ("Rotterdam", ()),
    ("NL", "3511"): ("Utrecht", ()),
}


def norm(text: str) -> str:
    """Upper-case ASCII letters and digits separated by single spaces."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = "".join(ch if ch.isalnum() else " " for ch in text.upper())
    words = ["SAINT" if w == "ST" else "SAINTE" if w == "STE" else w for w in text.split()]
    return " ".join(words)


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def cities_of(country: str) -> tuple[dict, dict, dict]:
    """Per-state and country-wide indexes of city coordinates and pretty names."""
    by_state: dict[tuple[str, str], tuple[float, float, str]] = {}
    by_country: dict[str, tuple[float, float, str]] = {}
    states = {s["state_code"]: s for s in load(WORLD / country / "states.json")}
    for state_dir in (WORLD / country / "states").iterdir():
        for city in load(state_dir / "cities.json"):
            if city.get("latitude") is None:
                continue
            entry = (float(city["latitude"]), float(city["longitude"]), city["name"])
            key = norm(city["name"])
            by_state.setdefault((state_dir.name, key), entry)
            by_country.setdefault(key, entry)
    return by_state, by_country, states


def rows_for(country: str) -> list[list]:
    """The output rows of one country, sorted by postcode."""
    by_state, by_country, states = cities_of(country)
    rows = []
    for entry in load(POSTAL / country / "postcodes.json"):
        code = entry["code"].replace(" ", "")[: 4 if country == "NL" else 5]
        state = entry.get("stateCode")
        name = entry.get("localityName") or ""
        main, aliases = ALIASES.get((country, code), (None, ()))
        lat, lon = entry.get("latitude"), entry.get("longitude")
        looked_up = None
        for candidate in filter(None, [main, name]):
            key = norm(candidate)
            looked_up = by_state.get((state, key)) or by_country.get(key)
            if looked_up:
                break
        if looked_up and (lat is None or main):
            lat, lon = looked_up[0], looked_up[1]
        pretty = main or (looked_up[2] if looked_up and country != "BE" else name)
        if pretty.isupper():  # French source names are upper-case without accents
            pretty = pretty.title()
        province = states.get(state, {}).get("name", "") if state else ""
        if lat is None and state in states and states[state].get("latitude"):
            lat, lon = float(states[state]["latitude"]), float(states[state]["longitude"])
        rows.append([code, country, pretty, "|".join(aliases), province, lat, lon])
    rows.sort(key=lambda r: r[0])
    fill_from_neighbours(rows)
    return rows


def fill_from_neighbours(rows: list[list]) -> None:
    """Give a postcode without coordinates those of the nearest postcode (by number)."""
    known = [(int(r[0]), r[5], r[6]) for r in rows if r[5] is not None]
    for row in rows:
        if row[5] is None and known:
            number = int(row[0])
            _, row[5], row[6] = min(known, key=lambda k: abs(k[0] - number))


def main() -> None:
    """Write the compact postcode file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["postcode", "country", "city", "aliases", "province", "lat", "lon"])
    seen = set()
    counts = {}
    for country in COUNTRIES:
        rows = rows_for(country)
        for row in rows:
            if (row[1], row[0]) in seen:
                continue
            seen.add((row[1], row[0]))
            row[5], row[6] = round(row[5], 5), round(row[6], 5)
            writer.writerow(row)
            counts[country] = counts.get(country, 0) + 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same input gives byte-identical output
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(buffer.getvalue().encode("utf-8"))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes): {counts}")


if __name__ == "__main__":
    main()
