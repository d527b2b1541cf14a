"""The progress bar of ``magpie code`` and ``magpie ingest`` on stderr: tqdm (documents/s, events, rejects, and with
a known total the share done and the time left), shown only on a terminal; in a pipe or a log it stays silent."""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm

FORMAT_TOTAL = "{percentage:3.0f}%|{bar:20}| {n_fmt}/{total_fmt} docs [{elapsed}, ETA {remaining}, {rate_fmt}{postfix}]"
FORMAT_OPEN = "{n_fmt} docs [{elapsed}, {rate_fmt}{postfix}]"


class Bar:
    """Documents read, events and rejects; ``total`` documents when known (files and JSONL lines counted first)."""

    def __init__(self, enabled: bool, total: int | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.bar = tqdm(total=total or None, file=self.stream, disable=not self.enabled, unit="docs",
                        mininterval=0.2, dynamic_ncols=True, leave=False,
                        bar_format=FORMAT_TOTAL if total else FORMAT_OPEN)

    def update(self, done: int, events: int, rejects: int) -> None:
        if not self.enabled:
            return
        self.bar.set_postfix_str(f"{events:,} events, {rejects:,} rejected", refresh=False)
        self.bar.update(done - self.bar.n)

    def write(self, line: str) -> None:
        """A line on the stream above the bar (a reject)."""
        if self.enabled:
            self.bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream)

    def close(self) -> None:
        self.bar.close()
