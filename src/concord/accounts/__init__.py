"""Users, roles, access decisions, API tokens and the audit log."""
