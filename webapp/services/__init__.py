"""Queries and domain operations. Views and the CLI call these, never the ORM directly."""
