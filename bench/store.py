#!/usr/bin/env python3
"""Store benchmark: search p95 and bookmark insert p99 on a large database, through the Store API.

    .venv/bin/python bench/store.py                 # 1,000,000 bookmarks + 50,000 incidents (a few minutes)
    .venv/bin/python bench/store.py --rows 100000   # quick run

Builds the database with bulk inserts (executemany in one transaction, the same folding and FTS rows
the store writes), then times searches (a mix of words with and without accents, prefixes and filters)
and single bookmark inserts as Future round trips. Baselines measured in the same run: an empty job's
round trip through the store thread, and a bare INSERT+COMMIT on a separate file with the same pragmas
(the fsync floor). The last line is machine-readable.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from camdesk.models.camera import Area, Camera
from camdesk.models.records import BookmarkDraft, HitKind, IncidentStatus, SearchQuery
from camdesk.store import Store
from camdesk.store.bookmarks import fts_values
from camdesk.store.fold import fold
from camdesk.store.migrations import DEFAULT_CATEGORIES

SUBJECTS = ("Đối tượng", "Thanh niên", "Người đàn ông", "Phụ nữ", "Nhóm thanh niên", "Học sinh", "Tài xế", "Người lạ")
ACTIONS = ("trộm cắp xe máy", "cướp giật túi xách", "đánh nhau", "gây rối trật tự", "đỗ xe sai quy định",
           "lảng vảng trước cổng", "mang theo hung khí", "va chạm giao thông", "đốt rác gây cháy", "mua bán ma túy",
           "bẻ khóa xe đạp", "trèo tường vào nhà", "cãi nhau to tiếng", "chạy xe lạng lách", "nhặt được ví")
PLACES = ("ngõ 12 Đường Láng", "chợ Đống Đa", "cổng trường Tiểu học", "Nhà văn hóa tổ 5", "ngã tư Thái Hà",
          "bãi gửi xe", "hẻm 34 Nguyễn Lương Bằng", "quán cà phê đầu ngõ", "cửa hàng tạp hóa", "trạm xe buýt")
DETAILS = ("mặc áo đỏ", "đội mũ bảo hiểm đen", "đi xe Honda Wave", "biển số 29-B1", "khoảng 20 tuổi", "đeo khẩu trang",
           "đi cùng hai người", "bỏ chạy về hướng chợ", "cao khoảng 1m70", "tóc nhuộm vàng", "mang ba lô xanh",
           "đi xe tay ga màu trắng", "có hình xăm ở tay", "lúc trời tối", "camera ghi rõ mặt")
TAGS = ("xe máy", "đáng ngờ", "cần xác minh", "đã báo", "ban đêm", "học sinh", "ma túy", "giao thông", "cháy nổ", "mất trộm")
START_MS = 1_735_689_600_000  # 2025-01-01
SPAN_MS = 365 * 24 * 3600 * 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def text(rng: random.Random) -> tuple[str, str, list[str]]:
    title = f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)}"
    note = f"{rng.choice(SUBJECTS)} {rng.choice(DETAILS)}, {rng.choice(DETAILS)} tại {rng.choice(PLACES)}"
    return title, note, rng.sample(TAGS, rng.randint(0, 3))


def build(path: Path, rows: int, incidents: int, rng: random.Random) -> tuple[list[int], list[int]]:
    """Schema through the Store, then bulk rows straight into SQLite in one transaction."""
    with Store.open(path) as store:
        areas = [store.save_area(Area(None, f"Tổ dân phố {i}")).result() for i in range(1, 21)]
        cameras = [store.save_camera(Camera(None, f"Camera {i} {rng.choice(PLACES)}",
                                            area_id=areas[i % 20].id)).result() for i in range(200)]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")  # bulk load only; the store itself always uses FULL
    conn.execute("BEGIN")
    step = SPAN_MS // rows
    batch: list[tuple[object, ...]] = []
    tags: list[tuple[object, ...]] = []
    fts: list[tuple[object, ...]] = []

    def flush() -> None:
        conn.executemany("INSERT INTO bookmarks (id, camera_id, start_ms, duration_ms, title, note, severity, author,"
                         " created_ms) VALUES (?,?,?,?,?,?,?,?,?)", batch)
        conn.executemany("INSERT INTO bookmark_tags (bookmark_id, tag, folded) VALUES (?,?,?)", tags)
        conn.executemany("INSERT INTO bookmark_fts (rowid, title, note, tags, scope) VALUES (?,?,?,?,?)", fts)
        batch.clear()
        tags.clear()
        fts.clear()

    for i in range(1, rows + 1):
        title, note, tag_list = text(rng)
        start = START_MS + i * step
        camera_id = cameras[rng.randrange(200)].id or 0
        batch.append((i, camera_id, start, 10_000, title, note, "medium", "bench", start + 1000))
        tags += [(i, t, fold(t)) for t in sorted(tag_list)]
        fts.append((i, *fts_values(title, note, sorted(tag_list), camera_id, start)))
        if len(batch) >= 20_000:
            flush()
    flush()
    cats = list(DEFAULT_CATEGORIES)
    statuses = [s.value for s in IncidentStatus]
    inc_rows = []
    inc_fts = []
    links = []
    for i in range(1, incidents + 1):
        year = 2025
        title = f"Vụ {rng.choice(ACTIONS)} tại {rng.choice(PLACES)}"
        desc = f"{rng.choice(SUBJECTS)} {rng.choice(DETAILS)}; {rng.choice(DETAILS)}"
        note = f"Đã xác minh: {rng.choice(DETAILS)}"
        occurred = START_MS + rng.randrange(SPAN_MS)
        case = f"VV-{year}-{i:04d}" if i < 10000 else f"VV-{year}-{i}"
        inc_rows.append((i, case, year, i, title, rng.choice(cats), rng.choice(statuses), "medium", "Cán bộ",
                         occurred, rng.choice(PLACES), desc, occurred + 3_600_000, "bench"))
        inc_fts.append((i, fold(case), fold(title), fold(desc), fold(note)))
        links += [(i, rng.randrange(1, rows + 1)) for _ in range(2)]
    conn.executemany("INSERT INTO incidents (id, case_number, year, seq, title, category, status, severity, officer,"
                     " occurred_ms, place, description, created_ms, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     inc_rows)
    conn.executemany("INSERT INTO incident_notes (incident_id, author, at_ms, text) VALUES (?,?,?,?)",
                     [(r[0], "bench", r[9], f"Đã xác minh: {f[4][14:]}") for r, f in zip(inc_rows, inc_fts, strict=True)])
    conn.executemany("INSERT INTO incident_fts (rowid, case_number, title, description, notes) VALUES (?,?,?,?,?)",
                     inc_fts)
    conn.executemany("INSERT OR IGNORE INTO incident_bookmarks (incident_id, bookmark_id) VALUES (?,?)", links)
    conn.execute("COMMIT")
    # The bulk load left many index segments; a running store merges them in idle time, so do it now.
    conn.execute("INSERT INTO bookmark_fts (bookmark_fts) VALUES ('optimize')")
    conn.execute("INSERT INTO incident_fts (incident_fts) VALUES ('optimize')")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return [c.id or 0 for c in cameras], [a.id or 0 for a in areas]


def queries(rng: random.Random, cameras: list[int], areas: list[int], n: int) -> list[SearchQuery]:
    month = 30 * 24 * 3600 * 1000
    makers = [
        lambda: SearchQuery("trộm cắp"),
        lambda: SearchQuery("tro cap"),
        lambda: SearchQuery("cuop giat tui"),
        lambda: SearchQuery("Đống Đa"),
        lambda: SearchQuery("dong da"),
        lambda: SearchQuery("tr"),  # a two-letter prefix while typing
        lambda: SearchQuery("xe m"),
        lambda: SearchQuery("bien so 29"),
        lambda: SearchQuery("hinh xam", camera_ids=(rng.choice(cameras),)),
        lambda: SearchQuery("ao do", area_ids=(rng.choice(areas),)),
        lambda: SearchQuery("xe", from_ms=(t := START_MS + rng.randrange(SPAN_MS - month)), to_ms=t + month),
        lambda: SearchQuery("xe", to_ms=START_MS + rng.randrange(month)),  # open start, oldest month
        lambda: SearchQuery("", tags=("can xac minh",)),
        lambda: SearchQuery("", camera_ids=(rng.choice(cameras),)),
        lambda: SearchQuery("", camera_ids=(rng.choice(cameras),), from_ms=(t := START_MS + rng.randrange(SPAN_MS - month)),
                            to_ms=t + month),
        lambda: SearchQuery("xac minh", categories=("ma túy",), statuses=(IncidentStatus.OPEN,)),
        lambda: SearchQuery("VV-2025-01", kinds=frozenset({HitKind.INCIDENT})),
        lambda: SearchQuery("nguoi la", tags=("ban dem",)),
    ]
    return [rng.choice(makers)() for _ in range(n)]


def bare_insert_floor(directory: Path, n: int, synchronous: str) -> list[float]:
    """INSERT + COMMIT of a small row on its own WAL file with the same pragmas: the disk's fsync floor."""
    conn = sqlite3.connect(directory / "floor.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (v) VALUES (?)", (f"row {i}",))
        conn.execute("COMMIT")
        times.append((time.perf_counter() - t0) * 1000)
    conn.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="bookmarks to build (default 1,000,000)")
    parser.add_argument("--incidents", type=int, default=None, help="incidents (default rows / 20)")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--inserts", type=int, default=1000)
    parser.add_argument("--synchronous", default="FULL", choices=("FULL", "NORMAL"))
    parser.add_argument("--dir", type=Path, default=None, help="where to build (default: a temporary directory)")
    args = parser.parse_args()
    incidents = args.incidents if args.incidents is not None else max(1, args.rows // 20)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = Path(tmp) / "bench.sqlite3"
        t0 = time.perf_counter()
        cameras, areas = build(path, args.rows, incidents, rng)
        build_s = time.perf_counter() - t0
        size_mb = path.stat().st_size / 1e6
        print(f"built {args.rows} bookmarks + {incidents} incidents in {build_s:.1f} s ({size_mb:.0f} MB)")

        t0 = time.perf_counter()
        store = Store.open(path, synchronous=args.synchronous)
        open_s = time.perf_counter() - t0
        print(f"open (quick_check + migrations check): {open_s * 1000:.0f} ms")
        try:
            noop = []
            for _ in range(200):
                t0 = time.perf_counter()
                store._read(lambda db: None).result()
                noop.append((time.perf_counter() - t0) * 1000)
            qs = queries(rng, cameras, areas, args.queries)
            for q in qs[:20]:  # warm the page cache like an app that has been running
                store.search(q).result()
            search_ms: list[float] = []
            by_kind: dict[str, list[float]] = {}
            for q in qs:
                t0 = time.perf_counter()
                store.search(q).result()
                ms = (time.perf_counter() - t0) * 1000
                search_ms.append(ms)
                label = (q.text or "-") + ("+filters" if (q.camera_ids or q.area_ids or q.from_ms or q.to_ms
                                                          or q.tags or q.categories) else "")
                by_kind.setdefault(label, []).append(ms)
            insert_ms: list[float] = []
            jpeg = b"\xff\xd8" + bytes(rng.randrange(256) for _ in range(6000)) + b"\xff\xd9"
            for i in range(args.inserts):
                title, note, tags = text(rng)
                draft = BookmarkDraft(rng.choice(cameras), START_MS + SPAN_MS + i, 5000, title, note, tuple(tags),
                                      snapshot_jpeg=jpeg)
                t0 = time.perf_counter()
                store.add_bookmark(draft, "bench").result()
                insert_ms.append((time.perf_counter() - t0) * 1000)
        finally:
            store.close()
        floor = bare_insert_floor(Path(tmp), min(args.inserts, 500), args.synchronous)

    for label, values in sorted(by_kind.items(), key=lambda kv: -percentile(kv[1], 95)):
        print(f"  search {label!r:40} n={len(values):3d} p50={statistics.median(values):7.2f} ms "
              f"p95={percentile(values, 95):7.2f} ms")
    noop_p50 = statistics.median(noop)
    floor_p99 = percentile(floor, 99)
    search_p95 = percentile(search_ms, 95)
    insert_p99 = percentile(insert_ms, 99)
    print(f"baseline: empty store-thread round trip p50={noop_p50:.3f} ms; bare INSERT+COMMIT "
          f"(synchronous={args.synchronous}) p50={statistics.median(floor):.2f} ms p99={floor_p99:.2f} ms")
    print(f"search p50={statistics.median(search_ms):.2f} ms p95={search_p95:.2f} ms (target <= 50); "
          f"insert p50={statistics.median(insert_ms):.2f} ms p99={insert_p99:.2f} ms (target <= 5), "
          f"{insert_p99 / floor_p99:.1f}x the bare commit p99")
    print(f"store rows={args.rows} search_p95_ms={search_p95:.1f} insert_p99_ms={insert_p99:.1f}")


if __name__ == "__main__":
    main()
