"""Regioverhalen: validate regional stories and publish them as a Dutch MkDocs site.

The version lives in pyproject.toml only; `regioverhalen --version` reads it from the installed metadata.
"""
