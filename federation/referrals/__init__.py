"""Anonymised referrals between member organisations (issue 10): a closed payload scanned
for personal data, per-receiver pseudonyms, the FHIR Task lifecycle, the staff inbox and
outbox, retention and erasure. The /federation/v1 handlers call `services`."""
