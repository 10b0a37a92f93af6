"""Second processes, forked where that is safe: the bottom layer, which the content core, the
site and the engine adapters all use, and which imports nothing else of this package."""
