"""Qt-free core: torch, networkx and numpy only. Usable from scripts, the CLI and the GUI."""
