"""A real main window as a user opens one, for the GUI tests: settings of its own, shown, its first model up."""

from PySide6.QtCore import QSettings

from explorer.core.session import SessionConfig
from explorer.ui.main_window import MainWindow
from explorer.ui.window.driver import WindowDriver


def open_window(qtbot, tmp_path, config: SessionConfig | None = None, size=(1400, 900),
                settings_name: str = "settings.ini") -> MainWindow:
    """A MainWindow on `config` (default: the tutorial's data) with settings in tmp_path, shown at `size`, once it
    shows its first model. qtbot closes it at the end of the test if the test does not."""
    settings = QSettings(str(tmp_path / settings_name), QSettings.Format.IniFormat)
    window = MainWindow(config or SessionConfig(dataset="tutorial"), settings)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    WindowDriver(window).wait_ready()
    return window
