"""Pure ingest engine: readers, source profiles, validation and the run function (no Django)."""
