"""Tests of the demo coalition (`flask demo seed`)."""

#: cities where the demo's Duo for a Job has a branch (the seed test and the member pages look
#: for each)
DUO_FOR_A_JOB_CITIES = (
    "Bruxelles",
    "Antwerpen",
    "Gent",
    "Liège",
    "Charleroi",
    "Lille",
    "Paris",
    "Marseille",
    "Rotterdam",
)
