"""Providers (partners and internal teams), sites, teams, the roster and programs."""
