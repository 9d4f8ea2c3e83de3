"""Load measurements of the platform (`make bench`): runner, baseline and scenarios."""
