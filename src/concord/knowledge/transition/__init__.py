"""Transition plans (issue #15 item 6): schedule, progress from the data, slippage, pages, API, CLI."""
