"""\"Did you mean\": the corrected query of a search that found nothing, the same on both
backends.

Each word of the query that the index does not hold is replaced by the closest one it does
(the backend's `closest_words`, up to two edits), or by the closest name of a city or
province (`search.places`, in French, Dutch and English: "Brusel" → "Brussel", "Anvres" →
"Anvers"), whichever is closer; on a tie the place wins. Place names are not in the text
the engines match fuzzily — "Genk" must not silently find Gent's programmes — but a query
word that is a place's name matches the programmes there exactly (the `place_names`
field): a misspelt place is offered as a correction for the visitor to confirm.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from coalition import postcodes
from coalition.place_names import CITIES, PROVINCES
from search.analysis import edit_distance, fold, fuzzy_distance, query_words, squeeze_repeats

#: the shortest word that is corrected (shorter ones have too many neighbours)
MIN_CORRECTED = 4
#: words of place names that name no place on their own: never offered as a correction
GENERIC_WORDS = frozenset(
    """
    north south east west noord zuid oost nord orientale occidentale septentrional
    septentrionale meridionale capital capitale hoofdstad flamand wallon vlaams waals
    flemish walloon noorderdepartement saint sainte sint haye haag
    """.split()  # noqa: SIM905
)


def _place_words() -> tuple[frozenset[str], dict[str, list[tuple[str, str]]]]:
    """Every word of the cities' and provinces' names (folded), and the words offered as
    corrections: folded → [(as written, language)], in the order of `search.places`."""
    every: set[str] = set()
    offered: dict[str, list[tuple[str, str]]] = {}
    for canonical, names in (*CITIES.items(), *PROVINCES.items()):
        for lang, name in (("", canonical), *names.items()):
            for word in re.findall(r"\w+", name):
                folded = fold(word)
                every.add(folded)
                if len(folded) >= MIN_CORRECTED and folded not in GENERIC_WORDS:
                    offered.setdefault(folded, [])
                    if word not in (w for w, _l in offered[folded]):
                        offered[folded].append((word, lang))
    return frozenset(every), offered


_EVERY_PLACE_WORD, _OFFERED = _place_words()


def is_place_word(word: str) -> bool:
    """True when `word` is (a word of) a city's or province's name, or a city's name in the
    postcode file ("Brussel", "Vlaanderen", "Molenbeek"): it is never corrected."""
    return fold(word) in _EVERY_PLACE_WORD or postcodes.find_city(word) is not None


def nearest_place_word(word: str, lang: str) -> tuple[str, int] | None:
    """The place name closest to `word` (as written) and its distance, within the fuzzy
    distance of the word's length (one edit up to five letters, else two); on a tie the
    name in `lang` first."""
    term = fold(squeeze_repeats(word))
    limit = fuzzy_distance(term)
    if len(term) < MIN_CORRECTED or not limit:
        return None
    best: tuple[tuple[int, int], str] | None = None
    for folded, spellings in _OFFERED.items():
        distance = edit_distance(term, folded, limit)
        if distance > limit:
            continue
        spelling, in_lang = next(
            ((w, True) for w, name_lang in spellings if name_lang == lang),
            (spellings[0][0], False),
        )
        key = (distance, 0 if in_lang else 1)
        if best is None or key < best[0]:
            best = (key, spelling)
    return (best[1], best[0][0]) if best else None


def corrected_query(
    q: str, lang: str, closest_words: Callable[[Sequence[str]], list[str | None]]
) -> str | None:
    """The query with each unknown word corrected (see the module), or None when no word
    changed. `closest_words` is the backend's: per word, the closest indexed one or None."""
    words = query_words(q)
    unknown = [w for w in words if not is_place_word(w)]
    indexed = dict(zip(unknown, closest_words(unknown), strict=True)) if unknown else {}
    out, changed = [], False
    for word in words:
        if word not in indexed:  # a place's name, as typed
            out.append(word)
            continue
        fix, place = indexed[word], nearest_place_word(word, lang)
        typed = fold(squeeze_repeats(word))
        if place and (fix is None or place[1] <= edit_distance(typed, fold(fix), 2)):
            fix = place[0]
        out.append(fix or word)
        changed = changed or fix is not None
    return " ".join(out) if changed else None
