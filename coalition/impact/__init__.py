"""Impact monitoring: the quarterly counts members report per branch (on the staff form or
through the federation API, one schema and one service), their corrections, the
coalition's targets, and what is published of them.

`models` (reports, their changes, targets), `schemas` (the report in, the published
figures out), `services` (submit, correct, edit targets), `views` and `api` (pages and
`GET /api/v1/impact`), `cli` (`flask coalition add-branch`); named concerns `sources`
(figures the parts provide), `aggregates` (the sums), `suppression` (small cells),
`public` (what is published), `figures` (the named figures briefs quote), `coverage`
(where to open the next branches), `tables`, `charts` and `export` (CSV).
"""
