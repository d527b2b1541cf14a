"""code_parallel: worker processes give the same results, in input order, as coding in one process."""

from __future__ import annotations

from itertools import islice

from magpie import Options, Pipeline, records
from magpie.document import Document, Reject
from magpie.parallel import code_parallel, workers_for
from tests.test_store import corpus, documents


def _ids(doc: Document, pipeline: Pipeline) -> tuple[str, list[str]]:
    return doc.id, [r["event_id"] for r in records(doc, pipeline.lexicon)]


def _items() -> list[Document | Reject]:
    items: list[Document | Reject] = list(documents(corpus(60, seed=5)))
    items.insert(0, Reject("a.jsonl", "not valid JSON", 1))
    items.insert(33, Reject("b.jsonl", "field 'text' is empty", 9))
    items.append(Document(id="huge", text="很长" * 3000))
    return items


def test_parallel_equals_sequential_in_input_order(pipeline: Pipeline) -> None:
    options = Options(max_chars=5000)  # the last document is over the limit: a Reject from the worker
    sequential = list(code_parallel(_items(), options, workers=1, transform=_ids))
    parallel = list(code_parallel(_items(), options, workers=2, transform=_ids, chunk_size=4))
    assert parallel == sequential
    assert parallel[0] == Reject("a.jsonl", "not valid JSON", 1) and isinstance(parallel[33], Reject)
    assert isinstance(parallel[-1], Reject) and "limit" in parallel[-1].reason
    assert [p[0] for p in parallel if not isinstance(p, Reject)][:3] == ["doc-0", "doc-1", "doc-2"]


def test_parallel_yields_coded_documents() -> None:
    docs = list(code_parallel(documents(corpus(6)), None, workers=2, chunk_size=2))
    assert [d.id for d in docs] == [f"doc-{i}" for i in range(6)]
    assert all(isinstance(d, Document) and d.view and d.sentences for d in docs)


def test_stopping_early_shuts_the_pool_down() -> None:
    def endless():
        i = 0
        while True:
            yield Document(id=f"d{i}", text="俄罗斯总统普京21日与埃及总统塞西通了电话。", published="2017-11-22")
            i += 1

    first = list(islice(code_parallel(endless(), None, workers=2, chunk_size=2), 5))
    assert [d.id for d in first] == ["d0", "d1", "d2", "d3", "d4"]


def test_workers_for() -> None:
    assert workers_for(3) == 3 and workers_for(0) >= 1 and workers_for(None) >= 1 and workers_for(-2) == 1
