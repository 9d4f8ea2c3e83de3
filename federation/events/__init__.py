"""What happened to an organisation's objects, told to its member system: the event feed
(`GET /federation/v1/events`) and webhooks (signed deliveries with retries)."""
