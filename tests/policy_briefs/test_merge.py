"""The three-way merge on word tokens, and the word diff of the history."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policy_briefs.diff import counts, word_diff
from policy_briefs.merge import merge, tokens

BASE = "Mentors aged fifty and over accompany young job seekers for six months."


def test_tokens_give_the_text_back_word_by_word():
    assert tokens("Één duo, twee\n\nmentoren!") == [
        "Één",
        " ",
        "duo",
        ",",
        " ",
        "twee",
        "\n\n",
        "mentoren",
        "!",
    ]


@given(st.text())
def test_tokens_never_lose_a_character(text):
    assert "".join(tokens(text)) == text


def test_edits_of_different_words_are_both_kept():
    theirs = BASE.replace("fifty", "50")
    yours = BASE.replace("six months", "half a year")
    assert merge(BASE, theirs, yours) == (
        "Mentors aged 50 and over accompany young job seekers for half a year."
    )


def test_edits_of_neighbouring_words_in_one_sentence_are_both_kept():
    theirs = BASE.replace("young", "unemployed young")
    yours = BASE.replace("job seekers", "people")
    assert merge(BASE, theirs, yours) == (
        "Mentors aged fifty and over accompany unemployed young people for six months."
    )


def test_edits_of_the_same_words_conflict():
    theirs = BASE.replace("six months", "a year")
    yours = BASE.replace("six months", "nine months")
    assert merge(BASE, theirs, yours) is None


def test_the_same_edit_made_twice_is_no_conflict():
    both = BASE.replace("fifty", "50")
    assert merge(BASE, both, both) == both


def test_one_side_unchanged_takes_the_other():
    yours = BASE + " Always."
    assert merge(BASE, BASE, yours) == yours
    assert merge(BASE, yours, BASE) == yours


def test_long_texts_merge_despite_frequent_tokens():
    # difflib's autojunk would treat the space (>1 % of 200+ tokens) as junk and misalign.
    base = " ".join(f"word{n}" for n in range(400))
    theirs = base.replace("word10 ", "ten ")
    yours = base.replace("word390", "three-ninety")
    merged = merge(base, theirs, yours)
    assert merged is not None
    assert "ten word11" in merged and "three-ninety" in merged


def test_word_diff_marks_deletions_and_insertions():
    changes = word_diff("six months with a mentor", "nine months with a volunteer mentor")
    kinds = [(c.kind, c.text) for c in changes]
    assert ("delete", "six") in kinds
    assert ("insert", "nine") in kinds
    assert ("insert", "volunteer ") in kinds or ("insert", " volunteer") in kinds
    assert counts(changes) == {"delete": 1, "insert": 2}
