"""Presentation helpers for the Kommunefram dashboard.

Pages stay thin: they lay out components and call into these modules for text (``i18n``),
numbers (``formatting``), charts (``figures``), shared widgets (``components``) and cached
access to projections (``model``). Nothing here does demography.
"""
