"""Data, icons and translations shipped with explorer (installed as explorer.resources)."""
