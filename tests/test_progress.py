"""Progress of code and ingest through tqdm (issue 12, item 17): rates on a terminal; silent in pipes."""

from __future__ import annotations

import io

from magpie import cli
from magpie.document import Document, Reject
from magpie.progress import Bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_code_progress_on_a_terminal(monkeypatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(cli.sys, "stderr", terminal)
    progress = cli._Progress(True)
    assert progress.bar.enabled
    progress.update(Document(id="a", text="x"))
    progress.reject(Reject("b.txt", "empty file"))
    progress.update(Reject("b.txt", "empty file"))
    progress.bar.bar.refresh()
    out = terminal.getvalue()
    assert "magpie: rejected b.txt: empty file" in out
    assert "2 docs" in out and "docs/s" in out and "0 events, 1 rejected" in out
    progress.close()


def test_silent_in_a_pipe_but_rejects_are_still_said() -> None:
    pipe = io.StringIO()
    bar = Bar(True, total=10, stream=pipe)
    assert not bar.enabled
    bar.update(5, 3, 1)
    bar.write("magpie: rejected x")
    bar.close()
    assert pipe.getvalue() == "magpie: rejected x\n"
