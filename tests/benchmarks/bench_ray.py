"""UN General Debate corpus: the local engine and a local Ray runtime side by side.

    python -m tests.benchmarks.bench_ray [--jobs 2] [--max-pairs 4000] [--no-index]

(run from the repository root).

Each step runs `docdiff` in a fresh process; a sampler walks /proc every 0.2 s and records the
peak memory of the whole process tree (the driver, the local process pool or Ray's raylet, GCS and
workers): RSS summed (counts shared pages once per process) and PSS summed (shared pages split,
so the object store and forked pages count once). Then, in this process and on one core, it
measures the per-posting and per-pair costs that the scale-out projection in the README uses.

Needs /tmp/corpora/un_general_debate_corpus/txt, or ../shared/corpora/un-general-debate.tar.gz
(unpacked into the benchmark cache), and the ray extra.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from tests.benchmarks._common import CACHE, table, un_speeches

if TYPE_CHECKING:
    from docdiff.index.arrays import DocTokens


# --- process-tree memory -------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _tree(root: int) -> list[int]:
    kids = _children()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def _kb(path: str, key: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
    except OSError:
        return ""


@dataclass
class Peak:
    """Peak memory of a process tree, in MB."""

    rss: float = 0.0
    pss: float = 0.0
    driver_rss: float = 0.0
    workers_pss: float = 0.0
    processes: int = 0


def _sample(root: int, peak: Peak, stop: threading.Event) -> None:
    while not stop.is_set():
        rss = pss = workers = 0
        pids = _tree(root)
        for pid in pids:
            r = _kb(f"/proc/{pid}/status", "VmRSS:")
            p = _kb(f"/proc/{pid}/smaps_rollup", "Pss:")
            rss += r
            pss += p
            if pid != root:
                workers += p
            if pid == root:
                peak.driver_rss = max(peak.driver_rss, r / 1024)
        peak.rss = max(peak.rss, rss / 1024)
        peak.pss = max(peak.pss, pss / 1024)
        peak.workers_pss = max(peak.workers_pss, workers / 1024)
        peak.processes = max(peak.processes, len(pids))
        stop.wait(0.2)


def measured(args: list[str]) -> tuple[float, Peak, subprocess.CompletedProcess[str]]:
    """Run ``docdiff ARGS`` in a fresh process: wall seconds, peak tree memory, the result."""
    cmd = [sys.executable, "-m", "docdiff", *args]
    peak = Peak()
    stop = threading.Event()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = threading.Thread(target=_sample, args=(proc.pid, peak, stop), daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    done = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{err[-2000:]}")
    return wall, peak, done


def ray_startup_seconds(jobs: int) -> float:
    """Wall time to start and stop a bare local Ray runtime (part of every --engine ray run)."""
    code = (
        "import time; t=time.perf_counter()\n"
        "from docdiff.backends.ray_backend import RayEngine\n"
        f"e = RayEngine(jobs={jobs}); e.start(); e.close()\n"
        "print(time.perf_counter()-t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


# --- unit costs on one core ----------------------------------------------------------------------


def unit_costs(db: Path, sample_pairs: int) -> dict[str, float]:
    """Per-posting and per-pair costs of the scan stages, measured serially in this process."""
    from docdiff.corpus.scan import (
        align_pairs,
        document_frequencies,
        pair_counts,
        plan_scan,
        postings,
    )
    from docdiff.index import CorpusIndex
    from docdiff.index.arrays import unique_kgrams
    from docdiff.options import Options

    figures: dict[str, float] = {}

    def candidates(
        tokens: Sequence[DocTokens], k: int, min_shared: int, max_df: int
    ) -> npt.NDArray[np.int64]:
        t0 = time.perf_counter()
        sets = [unique_kgrams(t.hashes, k) for t in tokens]
        t1 = time.perf_counter()
        uniq, counts = document_frequencies(sets)
        hashes, docs = postings(sets, uniq, counts, max_df=max_df)
        t2 = time.perf_counter()
        codes, shared = pair_counts(hashes, docs, len(tokens))
        t3 = time.perf_counter()
        n_post = sum(len(s) for s in sets)
        df = counts[(counts >= 2) & (counts <= max_df)]
        n_codes = int((df * (df - 1) // 2).sum())
        figures.update(
            documents=len(tokens),
            words=sum(len(t) for t in tokens),
            postings=n_post,
            rare_postings=len(hashes),
            largest_posting_list=int(df.max()) if len(df) else 0,
            max_df=max_df,
            pair_codes=n_codes,
            distinct_pairs=len(codes),
            pairs_min2=int((shared >= 2).sum()),
            map_s=t1 - t0,
            reduce_s=t2 - t1,
            codes_s=t3 - t2,
        )
        keep = shared >= min_shared
        n = max(len(tokens), 1)
        return np.stack((codes[keep] // n, codes[keep] % n, shared[keep]), axis=1).astype(np.int64)

    options = Options()
    with CorpusIndex.open(db, readonly=True) as index:
        plan = plan_scan(index, options, candidates=candidates)
    figures["candidate_pairs"] = len(plan.pairs)
    step = max(1, len(plan.pairs) // sample_pairs)
    sample = plan.pairs[::step][:sample_pairs]
    t0 = time.perf_counter()
    align_pairs(sample, plan)
    figures["aligned_sample"] = len(sample)
    figures["align_s"] = time.perf_counter() - t0
    return figures


def projection(f: dict[str, float], docs: float, workers: int) -> tuple[float, float, float]:
    """Seconds for candidates, alignment and the whole scan of `docs` documents on `workers`."""
    scale = docs / f["documents"]
    per_post = (f["map_s"] + f["reduce_s"]) / f["postings"]
    per_code = f["codes_s"] / max(f["pair_codes"], 1)
    per_pair = f["align_s"] / f["aligned_sample"]
    # Postings grow with the corpus; with a fixed max_df the pair codes of a k-gram are bounded,
    # so they grow linearly too; aligned pairs per document stay about constant.
    cand = (f["postings"] * scale * per_post + f["pair_codes"] * scale * per_code) / workers
    align = f["pairs_min2"] * scale * per_pair / workers
    return cand, align, cand + align


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--max-pairs", type=int, default=4000)
    parser.add_argument("--no-index", action="store_true", help="Skip the index comparison.")
    parser.add_argument("--sample-pairs", type=int, default=150)
    opts = parser.parse_args()

    folder = un_speeches()
    n_files = sum(1 for _ in folder.rglob("*.txt"))
    CACHE.mkdir(parents=True, exist_ok=True)
    db_local = CACHE / "bench-ray-local.db"
    db_ray = CACHE / "bench-ray-ray.db"
    j = str(opts.jobs)
    print(f"UN General Debate: {n_files} speeches in {folder}; {opts.jobs} CPUs for each engine")
    startup = ray_startup_seconds(opts.jobs)
    print(f"a bare local Ray runtime starts and stops in {startup:.1f} s (included below)\n")

    rows = []
    if not opts.no_index or not db_local.exists():
        for db in (db_local, db_ray):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        base = ["index", "build", str(folder), "-j", j, "--no-progress"]
        wall_l, mem_l, _ = measured([*base, "--db", str(db_local)])
        rows.append(("index", "local", wall_l, mem_l))
        if not opts.no_index:
            wall_r, mem_r, _ = measured([*base, "--db", str(db_ray), "--engine", "ray"])
            rows.append(("index", "ray", wall_r, mem_r))
    scan_args = ["scan", "--db", str(db_local), "-j", j, "--format", "json", "--no-progress"]
    scan_args += ["--max-pairs", str(opts.max_pairs)]
    wall_l, mem_l, local = measured(scan_args)
    rows.append(("scan", "local", wall_l, mem_l))
    wall_r, mem_r, remote = measured([*scan_args, "--engine", "ray"])
    rows.append(("scan", "ray", wall_r, mem_r))

    print(
        table(
            [
                "step",
                "engine",
                "wall s",
                "peak RSS MB",
                "peak PSS MB",
                "driver RSS",
                "others PSS",
                "procs",
            ],
            [
                (
                    s,
                    e,
                    round(w, 1),
                    round(m.rss),
                    round(m.pss),
                    round(m.driver_rss),
                    round(m.workers_pss),
                    m.processes,
                )
                for s, e, w, m in rows
            ],
        )
    )
    a, b = json.loads(local.stdout), json.loads(remote.stdout)
    same = all(a[k] == b[k] for k in ("pairs", "clusters", "documents"))
    print(
        f"\nscan: {a['settings']['documents_scanned']} documents, "
        f"{a['settings']['candidate_pairs']} pairs aligned (min_shared "
        f"{a['settings']['min_shared']}), {len(a['pairs'])} share text, {len(a['clusters'])} "
        f"clusters; Ray result identical to local: {'yes' if same else 'NO'}"
    )
    if not opts.no_index:
        from docdiff.index import CorpusIndex

        with CorpusIndex.open(db_local, readonly=True) as x, CorpusIndex.open(db_ray) as y:
            sx, sy = x.stats(), y.stats()
        print(
            f"index: local {sx['documents']} documents / {sx['postings']} postings, "
            f"ray {sy['documents']} / {sy['postings']}"
        )

    print("\nunit costs, one core, this process:")
    f = unit_costs(db_local, opts.sample_pairs)
    per_post = (f["map_s"] + f["reduce_s"]) / f["postings"]
    per_code = f["codes_s"] / max(f["pair_codes"], 1)
    per_pair = f["align_s"] / f["aligned_sample"]
    print(
        table(
            ["figure", "value"],
            [
                ("documents / words", f"{f['documents']:,.0f} / {f['words']:,.0f}"),
                ("8-gram postings (shuffled)", f"{f['postings']:,.0f}"),
                ("shuffle size (12 B/posting)", f"{f['postings'] * 12 / 1e6:,.0f} MB"),
                ("rare postings (2 <= df <= max_df)", f"{f['rare_postings']:,.0f}"),
                (
                    "max_df / largest posting list",
                    f"{f['max_df']:.0f} / {f['largest_posting_list']}",
                ),
                ("pair codes emitted", f"{f['pair_codes']:,.0f}"),
                ("distinct candidate pairs", f"{f['distinct_pairs']:,.0f}"),
                ("pairs sharing >= 2 rare 8-grams", f"{f['pairs_min2']:,.0f}"),
                ("candidate pairs kept (budget)", f"{f['candidate_pairs']:,.0f}"),
                ("per posting (map+reduce)", f"{per_post * 1e6:.3f} us"),
                ("per pair code", f"{per_code * 1e9:.1f} ns"),
                ("per aligned pair", f"{per_pair * 1e3:.1f} ms ({f['aligned_sample']:.0f} timed)"),
            ],
        )
    )
    print("\nprojection for 1,000,000 documents of this length, every pair sharing >= 2 rare")
    print("8-grams aligned (no budget; as many per document as here), max_df held at this")
    print("corpus's value, perfect scaling over workers (no start-up, no stragglers):")
    proj = []
    for workers in (2, 16, 64, 256):
        cand, align, total = projection(f, 1_000_000, workers)
        proj.append((workers, round(cand), round(align), f"{total / 3600:.1f} h"))
    print(table(["workers", "candidates s", "alignment s", "total"], proj))


if __name__ == "__main__":
    main()
