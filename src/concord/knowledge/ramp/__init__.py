"""Ramp and speed to proficiency (issue 15 item 5).

``tenure`` and ``curves`` are pure computation over the lake (no Django), like ``concord.metrics``;
``selectors`` adds who may see what, and where agents, sites and the lake come from.
"""
