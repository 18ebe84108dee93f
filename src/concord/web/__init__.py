"""The web shell: layout, navigation, charts, error pages and API plumbing shared by every domain."""
