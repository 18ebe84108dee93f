"""Review packs: a registry of sections, built from live data, frozen when a meeting closes.

Each section (``sections.SECTIONS``) builds a JSON-able dict from a ``PackContext``: rows to show,
``figures`` (name -> number, compared on later views to note restatements), chart specs by id.
A new section is one entry in the registry and one template ``governance/sections/<key>.html``.
"""
