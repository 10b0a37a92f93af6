"""Browser tests: real Chromium through Playwright against the built sample site."""
