"""The export: the site as a plain project for Zensical or plain MkDocs, and the checks on its build."""
