"""Examples in the OpenAPI document: what member systems see first, and code against."""

import json
from pathlib import Path

#: the examples of the referral operations (a member system codes against these names); the
#: body is data beside this module, so that the bench, which never imports the platform,
#: sends the same one (bench/scenarios/referrals.py)
REFERRAL_EXAMPLE = json.loads(
    Path(__file__).with_name("referral_example.json").read_text(encoding="utf-8")
)
REFERRAL_ANSWER_EXAMPLE = {
    "id": "5d0c9a7e-3b1f-4e2a-8c6d-9f0e1a2b3c4d",
    "code": "R-7KQ4-9XPM",
    "status": "requested",
    "box": "outbox",
    "programme": REFERRAL_EXAMPLE["programme"],
    "sender": "jobcoaching-brussels",
    "receiver": "duo-for-a-job",
    "subject_pseudonym": None,
    "age_band": "21-25",
    "country": "BE",
    "area": "Brussels",
    "distance_km": 3,
    "languages": ["fr", "ar"],
    "goals": ["employment"],
    "availability": ["weekday_evenings"],
    "note": REFERRAL_EXAMPLE["note"],
    "consent": REFERRAL_EXAMPLE["consent"],
    "reason": None,
    "outcome": None,
    "transitions": [
        {"from": None, "to": "requested", "by": "sender", "at": "2026-11-20T10:05:00Z"}
    ],
}
