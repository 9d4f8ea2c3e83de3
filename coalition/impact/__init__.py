"""Impact figures: the quarterly counts members report per branch (in the UI later, through
the federation API now), checked for consistency and kept one report per branch and quarter.
The impact issue builds the dashboard on them."""
