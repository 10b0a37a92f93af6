"""The content core: the contract, reading, validation, consent and loading. Knows no engine."""
