import os

# Qt must be told before any QApplication exists; harmless for core tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_configure(config):
    # transformers imports torchvision when it is installed, and PyPI's torchvision (a CUDA build) imports
    # next to the CPU torch only once its two C++ op schemas are defined: every test that builds a Hugging Face
    # model needs that, not only tests/core/live's.
    from tests.core.live.third_party import define_torchvision_op_schemas

    define_torchvision_op_schemas()
