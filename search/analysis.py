"""Text analysis shared by both backends: query words, elisions, plurals, stemming.

The query text is split into words here, in Python, and each word is sent to the
engine as a term (never through a query-string parser), so `title:(`, `*` or `"` are
only characters. The same analysis feeds the tantivy index and the snippets.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import tantivy

LANGS = ("fr", "nl", "en")
STEMMERS = {"fr": "french", "nl": "dutch", "en": "english"}
MAX_QUERY_WORDS = 12
#: longer words are left out of the index and of queries (`analyzer`, `query_words`)
MAX_TERM_BYTES = 256
_WORD = re.compile(r"\w+", re.UNICODE)
#: French and English elided articles and pronouns ("l'emploi", "d'orientation")
_ELISION = re.compile(r"\b(?:qu|[cdjlmnst])['’]", re.IGNORECASE)
#: words too common to require in a query (all three languages)
STOPWORDS = frozenset(
    """
    a au aux avec ce ces dans de des du en et la le les leur ma mes mon ne ni nos notre ou
    par pas pour qui que sa se ses son sur ta te tes ton un une vos votre y
    aan al als bij dat de den der des die dit door een en er het hij hoe in is je maar met
    na naar niet of om onder op over te tot uit van voor wat wie zij zo
    an and are as at be by for from how in into is it of on or the to with
    """.split()  # noqa: SIM905
)


#: words a young person uses for the same thing, whatever the language: a query word of a
#: group also finds the others ("mentorat emploi" finds "un mentor pour l'emploi")
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("mentor", "mentors", "mentorat", "mentoraat", "mentoring", "mentorship", "mentorschap"),
)
#: a synonym scores below the word as typed
SYNONYM_BOOST = 0.6


def fold(text: str) -> str:
    """Lowercase without accents."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def strip_elisions(text: str) -> str:
    """ "l'emploi" → "emploi"."""
    return _ELISION.sub("", text)


def _fold_plural(word: str) -> str:
    # Snowball French leaves "emplois" alone while Elasticsearch's light stemmer folds it:
    # drop a final s/x first so that both engines answer plurals the same way.
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def prepare(text: str, lang: str) -> str:
    """Text as the tantivy analyzers of `lang` expect it (elisions off, French plurals folded)."""
    if "'" in text or "’" in text:
        text = strip_elisions(text)
    if lang == "fr":
        return _WORD.sub(lambda m: _fold_plural(m.group().lower()), text)
    return text


@lru_cache(maxsize=8)
def analyzer(lang: str) -> tantivy.TextAnalyzer:
    """The tantivy analyzer of a language ("fr", "nl", "en"), or "plain" (no stemming)."""
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        # Elasticsearch's standard tokenizer keeps words up to 255 characters: so do we
        # (bytes here), so that a long compound is searched alike on both engines.
        .filter(tantivy.Filter.remove_long(MAX_TERM_BYTES))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    if lang in STEMMERS:
        builder = builder.filter(tantivy.Filter.stemmer(STEMMERS[lang]))
    return builder.build()


@lru_cache(maxsize=100_000)
def analyze_word(word: str, lang: str) -> tuple[str, ...]:
    """`analyze` for one word, cached (snippets and queries analyse the same words often)."""
    return tuple(analyze(word, lang))


def analyze(text: str, lang: str) -> list[str]:
    """The terms tantivy indexes for `text` in a field of language `lang` (or "plain")."""
    return analyzer(lang).analyze(prepare(text, lang))


def query_words(text: str) -> list[str]:
    """The words of a query as typed: elisions removed, stopwords dropped (unless only
    stopwords; a stopword typed with a letter held down too). Each matches its `variants`."""
    words = [w for w in _WORD.findall(strip_elisions(text)) if len(w.encode()) < MAX_TERM_BYTES]
    kept = [w for w in words if fold(squeeze_repeats(w)) not in STOPWORDS]
    return (kept or words)[:MAX_QUERY_WORDS]


def spellings(word: str) -> tuple[str, ...]:
    """The query word as typed and, if it differs, squeezed (`squeeze_repeats`): three same
    characters in a row may be a key held down ("emploiiii") or the word's own spelling
    ("1000", "ab000c", "Schifffahrt"), so either matches as the word itself."""
    squeezed = squeeze_repeats(word)
    return (word,) if squeezed == word else (word, squeezed)


_SYNONYMS = {fold(word): group for group in SYNONYM_GROUPS for word in group}


def variants(word: str) -> tuple[tuple[str, float], ...]:
    """What a query word matches, each with its boost: its `spellings` (1.0), then their
    synonyms (`SYNONYM_BOOST`)."""
    forms = spellings(word)
    folded = {fold(form) for form in forms}
    synonyms = dict.fromkeys(
        other
        for form in forms
        for other in _SYNONYMS.get(fold(form), ())
        if fold(other) not in folded
    )
    return (*((form, 1.0) for form in forms), *((other, SYNONYM_BOOST) for other in synonyms))


#: the score a programme matching every word of the query adds, so that it ranks above
#: those matching only some of them (whatever fields the words were found in)
ALL_WORDS_BOOST = 10.0


def required_matches(word_count: int) -> int:
    """How many query words a programme must match: all of one or two, else all but one.

    "werk zoeken mentor" must still find "Een mentor om werk te vinden"; programmes with
    every word rank first because they match more of the query.
    """
    return word_count if word_count <= 2 else word_count - 1


_REPEATS = re.compile(r"(\w)\1{2,}")


def squeeze_repeats(word: str) -> str:
    """A letter typed three times or more kept once ("emploiiii" → "emploi"): what a
    held-down key adds is not counted as typos (typos are matched on this form)."""
    return _REPEATS.sub(r"\1", word)


def fuzzy_distance(word: str) -> int:
    """Elasticsearch's AUTO fuzziness: 0 up to 2 letters, 1 up to 5, else 2."""
    n = len(word)
    return 0 if n <= 2 else 1 if n <= 5 else 2


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), stopping above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def starts_like(text: str, prefix: str) -> bool:
    """True when `text`, or one of its words, starts like `prefix` (no case, no accents)."""
    folded, wanted = fold(text), fold(prefix).strip()
    if folded.startswith(wanted):
        return True
    last = wanted.split()[-1] if wanted.split() else wanted
    return any(word.startswith(last) for word in re.findall(r"\w+", folded))
