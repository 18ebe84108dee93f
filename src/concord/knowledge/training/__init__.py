"""Training, assessments, certification and readiness gates: part of the knowledge app (DESIGN.md)."""
