"""View models: the numbers behind each chart, table and report (no Dash here)."""
