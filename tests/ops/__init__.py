"""Tests of running the platform: deployment files, metrics, logs, readiness."""
