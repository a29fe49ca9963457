import os

# Qt must be told before any QApplication exists; harmless for core tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
