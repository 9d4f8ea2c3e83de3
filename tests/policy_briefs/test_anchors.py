"""Comments' quotes (TextQuoteSelector): made, found again on later revisions, or gone."""

from __future__ import annotations

from policy_briefs.anchors import Quote, anchor, quote_in

TEXT = "Mentors help. The duo meets weekly. Mentors help again, and the duo meets monthly."


def test_a_quote_keeps_its_surroundings():
    quote = quote_in(TEXT, "meets weekly")
    assert quote.exact == "meets weekly"
    assert quote.prefix.endswith("The duo ")
    assert quote.suffix.startswith(". Mentors")


def test_a_passage_that_is_not_in_the_text_gives_no_quote():
    assert quote_in(TEXT, "meets daily") is None


def test_the_selection_start_tells_repeated_passages_apart():
    second = TEXT.index("Mentors help", 5)
    quote = quote_in(TEXT, "Mentors help", second)
    assert quote.suffix.startswith(" again")
    assert anchor(TEXT, quote) == (second, second + len("Mentors help"))


def test_a_quote_is_found_again_after_edits_around_it():
    quote = quote_in(TEXT, "the duo meets")  # the second "the duo meets" (lower-case)
    edited = "Preface added. " + TEXT.replace("Mentors help again", "Mentors keep helping")
    start, end = anchor(edited, quote)
    assert edited[start:end] == "the duo meets"
    assert edited[end:].startswith(" monthly")


def test_a_repeated_passage_goes_to_the_occurrence_whose_context_matches():
    quote = Quote("duo meets", prefix="again, and the ", suffix=" monthly.")
    start, _ = anchor(TEXT, quote)
    assert start == TEXT.index("duo meets monthly")


def test_a_passage_removed_from_the_text_is_gone():
    quote = quote_in(TEXT, "meets weekly")
    assert anchor(TEXT.replace("meets weekly", "meets every week"), quote) is None
