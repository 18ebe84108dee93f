"""Pure ingest engine: readers, source profiles, validation and the run function (no Django)."""

import pyarrow as pa
import pyarrow.compute as pc

# pyarrow registers its compute kernels on the first compute call (about 0.85 s here): pay that once,
# when the engine is imported, rather than inside the first ingest a person waits for.
pc.add(pa.array([0]), 0)
