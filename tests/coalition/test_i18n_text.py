"""One fallback order for per-language texts: the visitor's language, then fr, nl, en."""

from coalition.i18n import text_and_language, text_in


def test_the_visitors_language_first():
    assert text_and_language({"nl": "Werk", "fr": "Emploi"}, "nl") == ("Werk", "nl")


def test_fallback_follows_the_platforms_order_not_the_saved_order():
    # saved English first: a French visitor still gets the Dutch text before the English one,
    # as the JSON API and the search pages have always answered
    assert text_and_language({"en": "Job", "nl": "Werk"}, "fr") == ("Werk", "nl")
    assert text_in({"en": "Job", "de": "Arbeit"}, "nl") == "Job"


def test_empty_texts_are_skipped_and_nothing_gives_an_empty_string():
    assert text_and_language({"fr": "", "en": "Job"}, "fr") == ("Job", "en")
    assert text_and_language(None, "fr") == ("", "fr")
