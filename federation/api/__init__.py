"""The machine API for member systems under /federation/v1: thin handlers, the problem+json
and `Idempotency-Key` plumbing, one commit per call, and the OpenAPI document."""
