"""Programmes: what members publish in the directory — their content per language, places,
what they ask of mentors (`mentor_needs`), statuses and the rule of confirming them every
`STALE_AFTER_DAYS`; the editors' pages and the coalition's moderation. Every change is
written to the search outbox and announced with `coalition.signals.programme_changed`;
nothing here calls the search engine.
"""
