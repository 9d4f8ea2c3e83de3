"""The core's services: plain functions named by verbs that flush and log, never commit."""
