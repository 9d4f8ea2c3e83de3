"""Examples in the OpenAPI document: what member systems see first, and code against."""

#: the examples of the referral operations (a member system codes against these names)
REFERRAL_EXAMPLE = {
    "programme": "0b6f3c2e-8d1a-4f5e-9c7b-2a4d6e8f0a1c",
    "subject_ref": "case-2026-0042",
    "age_band": "21-25",
    "postcode": "1080",
    "country": "BE",
    "languages": ["fr", "ar"],
    "goals": ["employment"],
    "availability": ["weekday_evenings"],
    "note": "Looking for a first job in logistics; prefers evening meetings.",
    "consent": {
        "given_at": "2026-11-20T10:00:00Z",
        "given_by": "young_person",
        "recipient": "duo-for-a-job",
        "text_version": "v1",
    },
}
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
