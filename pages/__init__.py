"""Dash Pages of the Kommunefram dashboard (layouts and page callbacks only)."""
