"""The MkDocs adapter: the plugin and what only a MkDocs build needs."""
