"""Benchmark: Magpie's MinHash/LSH (magpie/neardup.py) against datasketch's, on the benchmark corpus of bench/run.py.

    pip install datasketch && python3 bench/neardup.py [--docs 3000]

Both sign the Simplified text of each article with 128 values over the same 5-character shingles (letters and
digits) and find candidate pairs with LSH at the 0.7 threshold. Prints the time to sign and index the corpus,
the error of the similarity estimates against the exact Jaccard similarity of the shingle sets on pairs of
articles and edited copies (one to four of ~8 paragraphs replaced), and whether each copy is found.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import corpus, paragraphs  # noqa: E402

from magpie import neardup  # noqa: E402
from magpie.normalise import to_simplified  # noqa: E402


def shingles(text: str) -> set[str]:
    compact = neardup._DROP.sub("", text)
    return {compact[i : i + neardup.SHINGLE] for i in range(len(compact) - neardup.SHINGLE + 1)}


def edited_pairs(texts: list[str], n: int, seed: int = 11) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pool = [to_simplified(p) for p in paragraphs()]
    pairs = []
    for text in rng.sample(texts, n):
        parts = text.split("\n")
        for _ in range(rng.randint(1, 4)):
            parts[rng.randrange(len(parts))] = rng.choice(pool)
        pairs.append((text, "\n".join(parts)))
    return pairs


def magpie_side(texts: list[str]) -> tuple[float, list]:
    started = time.perf_counter()
    sigs = [neardup.signature(t) for t in texts]
    buckets: dict[int, list[int]] = {}
    for i, sig in enumerate(sigs):
        if sig is None:
            continue
        for key in neardup.band_keys(sig):
            for j in buckets.get(key, ()):
                neardup.similarity(sig, sigs[j])
            buckets.setdefault(key, []).append(i)
    return time.perf_counter() - started, sigs


def datasketch_side(texts: list[str]) -> tuple[float, list]:
    from datasketch import MinHash, MinHashLSH

    started = time.perf_counter()
    lsh = MinHashLSH(threshold=neardup.THRESHOLD, num_perm=neardup.PERMUTATIONS)
    sigs = []
    for i, text in enumerate(texts):
        m = MinHash(num_perm=neardup.PERMUTATIONS)
        m.update_batch([s.encode("utf-8") for s in shingles(text)])
        for j in lsh.query(m):
            m.jaccard(sigs[j])
        lsh.insert(i, m)
        sigs.append(m)
    return time.perf_counter() - started, sigs


def datasketch_hashed_side(texts: list[str]) -> float:
    """datasketch fed Magpie's 32-bit shingle hashes (no SHA-1 per shingle): its best case."""
    from datasketch import MinHash, MinHashLSH

    started = time.perf_counter()
    lsh = MinHashLSH(threshold=neardup.THRESHOLD, num_perm=neardup.PERMUTATIONS)
    for i, text in enumerate(texts):
        m = MinHash(num_perm=neardup.PERMUTATIONS, hashfunc=int)
        m.update_batch(neardup.shingle_hashes(text).tolist())
        lsh.query(m)
        lsh.insert(i, m)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--pairs", type=int, default=300)
    args = parser.parse_args()
    texts = [to_simplified(d.text) for d in corpus(args.docs)]
    chars = sum(len(t) for t in texts)
    mag_time, _ = magpie_side(texts)
    ds_time, _ = datasketch_side(texts)
    hashed_time = datasketch_hashed_side(texts)
    print(f"sign + LSH index and query, {len(texts):,} docs of {chars / len(texts):,.0f} chars: "
          f"magpie {mag_time:.2f} s ({len(texts) / mag_time:,.0f} docs/s), "
          f"datasketch {ds_time:.2f} s ({len(texts) / ds_time:,.0f} docs/s; "
          f"{len(texts) / hashed_time:,.0f} docs/s given Magpie's shingle hashes)")
    from datasketch import MinHash, MinHashLSH

    errors = {"magpie": [], "datasketch": []}
    found = {"magpie": 0, "datasketch": 0}
    truth_over = 0
    for a, b in edited_pairs(texts, args.pairs):
        sa, sb = shingles(a), shingles(b)
        truth = len(sa & sb) / len(sa | sb)
        over = truth >= neardup.THRESHOLD
        truth_over += over
        ma, mb = neardup.signature(a), neardup.signature(b)
        estimate = neardup.similarity(ma, mb)
        errors["magpie"].append(abs(estimate - truth))
        if over and set(neardup.band_keys(ma)) & set(neardup.band_keys(mb)) and estimate >= neardup.THRESHOLD:
            found["magpie"] += 1
        da, db = MinHash(), MinHash()
        da.update_batch([s.encode("utf-8") for s in sa])
        db.update_batch([s.encode("utf-8") for s in sb])
        errors["datasketch"].append(abs(da.jaccard(db) - truth))
        lsh = MinHashLSH(threshold=neardup.THRESHOLD, num_perm=neardup.PERMUTATIONS)
        lsh.insert("a", da)
        if over and lsh.query(db) and da.jaccard(db) >= neardup.THRESHOLD:
            found["datasketch"] += 1
    for name in ("magpie", "datasketch"):
        e = sorted(errors[name])
        print(f"{name}: |estimate - exact Jaccard| mean {sum(e) / len(e):.4f}, 95th percentile "
              f"{e[int(len(e) * 0.95)]:.4f} over {len(e)} edited pairs; copies at J >= 0.7 found: "
              f"{found[name]}/{truth_over}")


if __name__ == "__main__":
    main()
