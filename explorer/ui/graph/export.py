"""The autograd graph saved as a PNG or SVG file: the picture's size, encoding and an atomic write.

What gets painted is the view's business (it passes a `render` function); this file only knows about
images, files and the errors a user can act on. The messages keep the translation context
"AutogradGraphView" of the view they came from.
"""

from __future__ import annotations

import errno
import math
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QGraphicsScene

from explorer.core.atomic import atomic_write_bytes

EXPORT_MARGIN = 16.0
MAX_EXPORT_PIXELS = 64_000_000  # a PNG of a huge graph is scaled down to stay within this
MAX_EXPORT_SIDE = 32_000  # PNG and QImage limit per side is 32,767

Render = Callable[[QPainter, QRectF, QRectF], None]  # paints the scene's source rect into a target rect


def export_target(path: str | os.PathLike, has_graph: bool) -> Path:
    """The file to write, once there is a graph and a folder to put it in."""
    if not has_graph:
        raise ValueError(QApplication.translate("AutogradGraphView", "There is no graph to export yet."))
    target = Path(path)
    if not target.parent.is_dir():
        raise OSError(errno.ENOENT, QApplication.translate(
            "AutogradGraphView", "Cannot write {0}: the folder {1} does not exist").format(target, target.parent))
    return target


def export_rect(scene: QGraphicsScene) -> QRectF:
    """Every item of the scene with a margin of white around it."""
    bounds = scene.itemsBoundingRect()
    return bounds.adjusted(-EXPORT_MARGIN, -EXPORT_MARGIN, EXPORT_MARGIN, EXPORT_MARGIN)


def write_png(target: Path, source: QRectF, render: Render) -> None:
    """`source` at twice the scene resolution (less for huge graphs), on white."""
    scale = min(2.0, math.sqrt(MAX_EXPORT_PIXELS / (source.width() * source.height())),
                MAX_EXPORT_SIDE / source.width(), MAX_EXPORT_SIDE / source.height())
    image = QImage(QSize(math.ceil(source.width() * scale), math.ceil(source.height() * scale)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    render(painter, QRectF(image.rect()), source)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError(errno.EIO, QApplication.translate(
            "AutogradGraphView", "Cannot write {0}: the PNG encoder failed").format(target))
    buffer.close()
    _write(target, bytes(data))


def write_svg(target: Path, source: QRectF, render: Render) -> None:
    """`source` as an SVG drawing at scene size (text stays text)."""
    size = QSize(math.ceil(source.width()), math.ceil(source.height()))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setResolution(96)  # so the drawing has its on-screen size in physical units too
    generator.setTitle(QApplication.translate("AutogradGraphView", "Autograd graph"))
    painter = QPainter(generator)
    painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor("white"))
    render(painter, QRectF(0, 0, size.width(), size.height()), source)
    painter.end()
    buffer.close()
    _write(target, bytes(data))


def _write(target: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OSError(exc.errno, QApplication.translate("AutogradGraphView", "Cannot write {0}: {1}").format(
            target, reason)) from exc
