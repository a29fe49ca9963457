"""The PySide6 desktop front end: docks and views that draw core snapshots."""
