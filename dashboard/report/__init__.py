"""The one-page kommune report (PDF) and its link."""
