"""Frozen dataclasses of settings (the session's, the training panel's) kept in QSettings between runs.

The settings file is untrusted input like any other file: it may be truncated, hold random bytes, or have
been edited by hand. Every value read is checked against its type and its rule (explorer.core.config_rules);
a bad one keeps its default and is listed in `problems`, so that the window can say so once and rewrite
the file without it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings

from explorer.core.config_rules import SESSION_RULES, field_problem, model_problem
from explorer.core.session import SessionConfig

GROUP = "Session"


@dataclass(frozen=True)
class SettingProblem:
    """One value of the settings file that was not used: its key, what it held, and why."""

    key: str
    raw: str
    reason: str
    also: tuple[str, ...] = ()  # further keys that go with it (a model's arguments and input shape)

    def __str__(self) -> str:
        return f"{self.key} = {self.raw} ({self.reason})"


def shown(raw) -> str:
    """A short, printable rendering of whatever the file held."""
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def convert(raw, like):
    """`raw` as the type of `like` (QSettings' INI files return text for numbers); raises TypeError/ValueError."""
    kind = type(like)
    if kind is bool:  # an INI file holds "true"/"false"; bool("false") would be True
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
            return raw.strip().lower() == "true"
        raise ValueError(f"expected true or false, got {shown(raw)}")
    if kind is str:
        if not isinstance(raw, str):
            raise TypeError(f"expected text, got {type(raw).__name__}")
        return raw
    if kind is int:
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            raise TypeError(f"expected a whole number, got {type(raw).__name__}")
        return int(raw)
    if kind is float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            raise TypeError(f"expected a number, got {type(raw).__name__}")
        return float(raw)
    return kind(raw)


def load_dataclass(settings: QSettings, group: str, default, rules: dict | None = None,
                   problems: list[SettingProblem] | None = None):
    """`default` with every valid field found in `group`; a missing value keeps its default, and so does an
    unreadable or invalid one, which is added to `problems`."""
    values = {}
    settings.beginGroup(group)
    try:
        for f in dataclasses.fields(default):
            raw = settings.value(f.name)
            if raw is None:
                continue
            try:
                value = convert(raw, getattr(default, f.name))
            except (TypeError, ValueError, OverflowError) as exc:
                reason = str(exc) or type(exc).__name__
            else:
                reason = field_problem(rules or {}, f.name, value)
                if reason is None:
                    values[f.name] = value
                    continue
            if problems is not None:
                problems.append(SettingProblem(f"{group}/{f.name}", shown(raw), reason))
    finally:
        settings.endGroup()
    return dataclasses.replace(default, **values)


def save_dataclass(settings: QSettings, group: str, value) -> None:
    settings.beginGroup(group)
    for f in dataclasses.fields(value):
        settings.setValue(f.name, getattr(value, f.name))
    settings.endGroup()


def load_session_config(settings: QSettings, problems: list[SettingProblem] | None = None) -> SessionConfig:
    config = load_dataclass(settings, GROUP, SessionConfig(), SESSION_RULES, problems)
    reason = model_problem(config.model, config.model_kwargs, config.input_shape)
    if reason is not None:
        if problems is not None:
            problems.append(SettingProblem(f"{GROUP}/model", shown(config.model), reason,
                                           (f"{GROUP}/model_kwargs", f"{GROUP}/input_shape")))
        default = SessionConfig()
        config = dataclasses.replace(config, model=default.model, model_kwargs=default.model_kwargs,
                                     input_shape=default.input_shape)
    return config


def save_session_config(settings: QSettings, config: SessionConfig) -> None:
    save_dataclass(settings, GROUP, config)


# ----- the rest of the file: byte arrays, whole numbers, names nobody could have written ----------------
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_./ -]+$")  # every key explorer (and Qt) writes looks like this


def unreadable_keys(settings: QSettings) -> list[str]:
    """Keys no version of explorer wrote (random bytes read as INI lines): they are removed."""
    return [key for key in settings.allKeys() if not KEY_PATTERN.match(key)]


def read_bytes(settings: QSettings, key: str, problems: list[SettingProblem]) -> QByteArray | None:
    """A window geometry or dock state: bytes, or None (missing or not bytes, the latter in `problems`)."""
    raw = settings.value(key)
    if raw is None or isinstance(raw, QByteArray):
        return raw
    if isinstance(raw, (bytes, bytearray)):
        return QByteArray(bytes(raw))
    problems.append(SettingProblem(key, shown(raw), f"expected bytes, got {type(raw).__name__}"))
    return None


def read_whole_number(settings: QSettings, key: str, default: int, problems: list[SettingProblem]) -> int:
    raw = settings.value(key)
    if raw is None:
        return default
    try:
        return convert(raw, default)
    except (TypeError, ValueError, OverflowError) as exc:
        problems.append(SettingProblem(key, shown(raw), str(exc) or type(exc).__name__))
        return default


def read_choice(settings: QSettings, key: str, choices, problems: list[SettingProblem]):
    """The value if it is one of `choices`, else None (a value that is not one goes into `problems`)."""
    raw = settings.value(key)
    if raw is None or raw in choices:
        return raw
    problems.append(SettingProblem(key, shown(raw), f"not one of {', '.join(map(str, choices))}"))
    return None


def forget(settings: QSettings, problems: list[SettingProblem], unreadable: list[str] = ()) -> None:
    """Remove every bad value (its default applies from now on) and write the file again at once, so that
    the next start reads a clean file."""
    for problem in problems:
        for key in (problem.key, *problem.also):
            settings.remove(key)
    for key in unreadable:
        settings.remove(key)
    settings.sync()
