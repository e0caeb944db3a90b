"""Click parameter types shared by the sub-commands, so that a bad option is a usage error (exit 2) found
before any work starts, never a traceback half-way: finite numbers, writable output paths, listen addresses.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import click

from policyatlas.core.i18n import message

_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)\Z")


class FiniteFloat(click.ParamType):
    """A real number (no nan, no infinity) within [min, max]."""

    name = "number"

    def __init__(self, min: float | None = None, max: float | None = None, *, what: str = "a number"):
        self.min, self.max, self.what = min, max, what

    def get_metavar(self, param, ctx=None) -> str:  # click >= 8.2 passes ctx
        low = "" if self.min is None else f"{self.min:g}"
        high = "" if self.max is None else f"{self.max:g}"
        return f"[{low}-{high}]" if (low or high) else "NUMBER"

    def convert(self, value, param, ctx):
        if isinstance(value, float | int) and not isinstance(value, bool):
            number = float(value)
        else:
            text = str(value).strip()
            try:
                number = float(text)
            except ValueError:
                self.fail(message("cli.option.not_number", value=repr(value), what=self.what), param, ctx)
        if not math.isfinite(number):
            self.fail(message("cli.option.not_finite", value=repr(value), what=self.what), param, ctx)
        if (self.min is not None and number < self.min) or (self.max is not None and number > self.max):
            self.fail(message("cli.option.out_of_range", value=repr(value), what=self.what, low=self.min,
                              high=self.max), param, ctx)
        return number


class Host(click.ParamType):
    """An address to listen on: an IPv4 or IPv6 address, or a host name (checked for form, not resolved)."""

    name = "host"

    def convert(self, value, param, ctx):
        import ipaddress  # only when an address is given: keeps every other command's start-up light

        text = str(value).strip()
        if not text:
            self.fail(message("cli.option.address_empty"), param, ctx)
        try:
            return str(ipaddress.ip_address(text.strip("[]")))
        except ValueError:
            pass
        labels = text.rstrip(".").split(".")
        if ":" in text or all(label.isdigit() for label in labels):
            self.fail(message("cli.option.bad_ip", value=repr(text)), param, ctx)
        if len(text) > 253 or not all(_HOST_LABEL.match(label) for label in labels) or not text.isascii():
            self.fail(message("cli.option.bad_host", value=repr(text)), param, ctx)
        return text


def _nearest_existing(path: Path) -> Path:
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return probe


class WritablePath(click.ParamType):
    """An output path that can be written: a file (`dir_okay=False`) or a folder (`file_okay=False`).

    Checked before any work: not empty, not a folder where a file is wanted (or the reverse), and either
    writable where it is or creatable under the nearest existing folder (which must be writable)."""

    name = "path"

    def __init__(self, *, file_okay: bool = True, dir_okay: bool = False, suffix: str | None = None):
        self.file_okay, self.dir_okay, self.suffix = file_okay, dir_okay, suffix

    def convert(self, value, param, ctx):
        if isinstance(value, Path):
            value = str(value)
        if not str(value).strip():
            self.fail(message("cli.option.path_empty"), param, ctx)
        if "\0" in str(value):
            self.fail(message("cli.option.path_nul"), param, ctx)
        path = Path(value)
        kind = "file" if not self.dir_okay else "folder"
        if path.exists():
            if path.is_dir() and not self.dir_okay:
                self.fail(message("cli.option.is_folder", path=value), param, ctx)
            if not path.is_dir() and not self.file_okay:
                self.fail(message("cli.option.is_file", path=value), param, ctx)
            if not os.access(path, os.W_OK):
                self.fail(message("cli.option.not_writable", path=value), param, ctx)
        if self.suffix and path.suffix != self.suffix:
            self.fail(message(f"cli.option.suffix_{kind}", path=value, suffix=self.suffix), param, ctx)
        try:
            anchor = _nearest_existing(path.parent if not path.exists() else path)
        except OSError as err:
            self.fail(message("cli.option.os_error", path=value, reason=err.strerror or err), param, ctx)
        if not path.exists():
            if not anchor.is_dir():
                self.fail(message("cli.option.parent_not_folder", path=value, parent=anchor), param, ctx)
            if not os.access(anchor, os.W_OK | os.X_OK):
                self.fail(message("cli.option.parent_not_writable", path=value, parent=anchor), param, ctx)
            if any(len(part.encode("utf-8", "surrogateescape")) > 255 for part in path.parts):
                self.fail(message("cli.option.name_too_long", path=value), param, ctx)
        return path


def WritableFile(suffix: str | None = None) -> WritablePath:  # noqa: N802 - reads like a type
    return WritablePath(file_okay=True, dir_okay=False, suffix=suffix)


def WritableDir() -> WritablePath:  # noqa: N802 - reads like a type
    return WritablePath(file_okay=False, dir_okay=True)


class SafePath(click.Path):
    """click.Path that refuses a NUL character as a usage error (click.Path(exists=True) raised ValueError:
    "embedded null byte", found by tests/fuzz/test_fuzz_cli.py)."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and "\0" in value:
            self.fail(message("cli.option.path_nul"), param, ctx)
        return super().convert(value, param, ctx)


#: A compiled dataset to read: an existing, readable file.
DATASET_FILE = SafePath(exists=True, dir_okay=False, readable=True, path_type=Path)
