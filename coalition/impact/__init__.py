"""Impact monitoring: the figures members report, and what the platform makes of them."""
