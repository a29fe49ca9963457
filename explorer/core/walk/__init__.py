"""The guided walk's cells run for real: each on a copy of the session's own model, its printed output captured."""
