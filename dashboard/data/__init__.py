"""Cached access to the projection engine for the pages, and its warm-up."""
