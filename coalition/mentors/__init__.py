"""Mentor recruitment: people aged 50+ tell a programme that seeks mentors they would like
to be one, and its organisation follows them up.

What a programme asks of mentors is the programme's own (`Programme.mentor_needs`, in the
programme body and form). This domain holds the interests: the volunteer's form
(`/<lang>/mentor/programmes/<uuid>/interest`, no account; `spam`: honeypot, signed start
time, rate limits), the acknowledgement mail with its withdrawal link (`privacy`), the
follow-up of the organisation's staff (`/<lang>/staff/<org id>/mentors`; `states`: the
status machine; `export`: the CSV), the reminders to editors (`reminders`), the purge
after the retention (`jobs`, `flask mentors purge`), and the counts that outlive the
interests for the impact figures (`figures`).
"""
