"""The main window's parts: its menus, layout, settings, closing, and the links between its panels."""
