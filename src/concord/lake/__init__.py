"""The lake: canonical fact tables stored as Delta tables (no Django here)."""
