"""Regioverhalen: validate regional stories and publish them as a Dutch MkDocs site."""

__version__ = "0.1.0"
