"""Benchmark: the officials' search and worklists over 1,000,000 dossiers on PostgreSQL (issue 11).

Run from the project root: ``.venv/bin/python benchmarks/bench_search_1m.py`` (PostgreSQL at
``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/motcua_bench_search``; the
database is dropped and created again; ``BENCH_REUSE=1`` times again on the database of the last
run; ``BENCH_SIZE`` sets the number of dossiers, default 1,000,000; ``BENCH_DROP=1`` drops the
database at the end; ``BENCH_ONLY=text`` times only the cases whose label holds ``text``).

The fixture is bench_report.py's (181 agencies, ten years of history, generated in SQL), loaded
by its own ``load`` with more columns: a dossier code in the product's format
(``<agency code>-<yymmdd>-<nnnn>``), an applicant with a Vietnamese name (family, middle and given
names drawn by hash from lists, family names with their real frequencies: Nguyễn ≈ 38%), a
12-digit ID number and a phone written ``09xx xxx xxx``; the open dossiers spread over the open
states and most have an assignee (a department's dossiers go to its specialist). The search column
is filled in SQL from the names already folded by ``core.text.fold`` (the one rule); the script
asserts on a sample of rows that it equals ``dossiers.search.applicant_search_text`` of the row.

Then, as a province-level official (leader of the province's root agency) would get them:
every search case of issue 11 through the selector (``dossier_list(user=…, q=…)``, newest
reception first, 50 rows), and as that official and as a department specialist the first 50 rows
of each worklist tab they are shown (``worklists.worklist_rows``). Each query's plan is printed
(``EXPLAIN (ANALYZE, BUFFERS)``), must use an index and must not scan the dossier table
sequentially; each is timed, best of 5. Target: ≤ 300 ms per 50-row page. Exits 1 when a plan
or a target fails (every figure is printed either way).
"""

from __future__ import annotations

import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench_search"
)

import bench_report as base  # noqa: E402 - the same fixture, built the same way

SIZE = int(os.environ.get("BENCH_SIZE", "1000000"))
TARGET_MS = 300.0
ROWS = 50
REPEAT = 5
ONLY = os.environ.get("BENCH_ONLY", "")  # time only the cases whose label holds this text

# Family names with rough shares of the population (per cent, rounded to integers).
FAMILY = {
    "Nguyễn": 38,
    "Trần": 11,
    "Lê": 9,
    "Phạm": 7,
    "Hoàng": 5,
    "Huỳnh": 5,
    "Phan": 4,
    "Vũ": 3,
    "Võ": 3,
    "Đặng": 2,
    "Bùi": 2,
    "Đỗ": 2,
    "Hồ": 1,
    "Ngô": 1,
    "Dương": 1,
    "Lý": 1,
    "Đinh": 1,
    "Trương": 1,
    "Lương": 1,
    "Đào": 1,
}
MIDDLE = [
    "Văn", "Văn", "Văn", "Thị", "Thị", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Quốc",
    "Xuân", "Đình", "Thu", "Hoài", "Anh", "Công", "Kim", "Bảo", "Gia", "Phương", "Quang", "Mỹ",
]  # fmt: skip
GIVEN = [
    "An", "Anh", "Bình", "Chi", "Cường", "Dũng", "Dung", "Đạt", "Đông", "Giang", "Hà", "Hải",
    "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Huy", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam",
    "Ngân", "Nhung", "Phúc", "Phương", "Quân", "Quỳnh", "Sơn", "Tâm", "Thảo", "Thắng", "Trang",
    "Trung", "Tuấn", "Vân", "Việt", "Yến",
]  # fmt: skip


def _pick(key: int, n: str) -> str:
    """A deterministic draw 1..n from the dossier number ``i`` (so a name computed twice in one
    row is the same name)."""
    return f"1 + (abs(hashint8extended(i, {key})) %% %({n})s)"


NAME_SQL = (
    f"(%(family)s::text[])[{_pick(1, 'n_family')}] || ' ' || "
    f"(%(middle)s::text[])[{_pick(2, 'n_middle')}] || ' ' || "
    f"(%(given)s::text[])[{_pick(3, 'n_given')}]"
)
# The same draws from the folded lists: fold works letter by letter, so fold(a b c) is
# fold(a) fold(b) fold(c).
FOLDED_NAME_SQL = NAME_SQL.replace("%(family)s", "%(family_f)s").replace(
    "%(middle)s", "%(middle_f)s").replace("%(given)s", "%(given_f)s")  # fmt: skip
ID_SQL = "'0' || lpad(((i * 48271 + 7) %% 100000000000)::text, 11, '0')"
PHONE_DIGITS_SQL = "lpad(((i * 69621 + 3) %% 100000000)::text, 8, '0')"
PHONE_SQL = (
    f"'09' || substr({PHONE_DIGITS_SQL}, 1, 2) || ' ' || substr({PHONE_DIGITS_SQL}, 3, 3) "
    f"|| ' ' || substr({PHONE_DIGITS_SQL}, 6, 3)"
)
OPEN = "(closed IS NULL OR closed >= %(now)s)"
DELIVERED = "(NOT one_way AND r_out < 0.93 AND r_del < 0.9 AND closed + interval '1 day' < %(now)s)"
EXTRA_COLUMNS = {
    "code": (
        "(%(agency_codes)s::text[])[1 + (i * 7919) %% %(n_agencies)s] || '-' || "
        f"to_char(rec AT TIME ZONE '{base.VN.key}', 'YYMMDD') || '-' || "
        "lpad((i %% 10000)::text, 4, '0')"
    ),
    "applicant_name": NAME_SQL,
    "applicant_id_number": ID_SQL,
    "applicant_phone": PHONE_SQL,
    "applicant_search": (
        f"{FOLDED_NAME_SQL} || ' ' || {ID_SQL} || ' ' || regexp_replace({PHONE_SQL}, '[^0-9]', '', 'g')"
    ),
    "state": (
        f"CASE WHEN {OPEN} THEN (CASE WHEN i %% 20 = 0 THEN 'awaiting_supplement' "
        "WHEN i %% 20 = 1 THEN 'received' WHEN i %% 50 = 2 THEN 'transferring' "
        "WHEN i %% 20 = 3 AND r_ch < 0.45 THEN 'submitted' ELSE 'in_process' END) "
        "WHEN one_way THEN 'filed' "
        f"WHEN r_out < 0.93 THEN (CASE WHEN {DELIVERED} THEN 'delivered' ELSE 'resolved' END) "
        "WHEN r_out < 0.96 THEN 'refused' WHEN r_out < 0.98 THEN 'withdrawn' ELSE 'stopped' END"
    ),
    "assignee_id": (
        f"CASE WHEN {OPEN} AND i %% 7 <> 0 THEN (CASE WHEN "
        f"{base.COLUMNS['agency_id']} = %(department)s THEN %(specialist)s::bigint "
        "ELSE %(other)s::bigint END) END"
    ),
}


def drop_database() -> None:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(base.BENCH_URL)
    admin = f"host={cfg['HOST']} port={cfg['PORT'] or 5432} user={cfg['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg["NAME"]}"')


def make_users(root_id: int, department_id: int):
    from motcua.accounts.models import Membership, User
    from motcua.catalog.choices import Role

    leader = User.objects.create(username="province_leader", full_name="Lãnh đạo tỉnh")
    Membership.objects.create(user=leader, agency_id=root_id, role=Role.LEADER)
    specialist = User.objects.create(username="dept_specialist", full_name="Chuyên viên phòng")
    Membership.objects.create(user=specialist, agency_id=department_id, role=Role.SPECIALIST)
    other = User.objects.create(username="other_specialist", full_name="Chuyên viên khác")
    Membership.objects.create(user=other, agency_id=root_id, role=Role.SPECIALIST)
    return leader, specialist, other


def build(size: int):
    from motcua.catalog.models import Agency, AgencyLevel
    from motcua.core.text import fold

    root, agencies, procedures = base.make_catalogue()
    department = Agency.objects.filter(level__in=AgencyLevel.objects.filter(code="department"))
    department = department.order_by("code").first()
    leader, specialist, other = make_users(root.pk, department.pk)
    codes = Agency.objects.in_bulk(agencies)
    family = [name for name, share in FAMILY.items() for _ in range(share)]
    params = {
        "agency_codes": [codes[pk].code for pk in agencies],
        "family": family,
        "middle": MIDDLE,
        "given": GIVEN,
        "family_f": [fold(x) for x in family],
        "middle_f": [fold(x) for x in MIDDLE],
        "given_f": [fold(x) for x in GIVEN],
        "n_family": len(family),
        "n_middle": len(MIDDLE),
        "n_given": len(GIVEN),
        "department": department.pk,
        "specialist": specialist.pk,
        "other": other.pk,
    }
    t0 = time.perf_counter()
    base.load(1, size, agencies, procedures, columns=EXTRA_COLUMNS, params=params)
    from django.db import connection

    with connection.cursor() as cur:  # the catalogue and users too, as autovacuum would
        cur.execute("ANALYZE")
    return time.perf_counter() - t0


def check_search_column(sample: int = 2000) -> int:
    """The SQL-filled column equals what the services write, on a random sample of rows."""
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.search import applicant_search_text

    top = Dossier.objects.order_by("-pk").values_list("pk", flat=True).first()
    rng = random.Random(11)
    ids = {rng.randint(1, top) for _ in range(sample)}
    rows = Dossier.objects.filter(pk__in=ids).values_list(
        "applicant_name", "applicant_id_number", "applicant_phone", "applicant_search"
    )
    checked = 0
    for name, id_number, phone, column in rows:
        expected = applicant_search_text(name, id_number, phone)
        assert column == expected, (name, id_number, phone, column, expected)
        checked += 1
    assert checked > sample // 2
    return checked


def explain(qs) -> str:
    return qs.explain(analyze=True, buffers=True)


def plan_problems(plan: str) -> list[str]:
    problems = []
    if "Seq Scan on dossiers_dossier" in plan:
        problems.append("sequential scan of the dossier table")
    if not any(k in plan for k in ("Index Scan", "Bitmap Index Scan", "Index Only Scan")):
        problems.append("no index used")
    return problems


def best_ms(qs) -> tuple[float, int]:
    best, n = float("inf"), 0
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        n = len(list(qs.all()))
        best = min(best, (time.perf_counter() - t0) * 1000)
    return best, n


def measure(label: str, qs, results: list) -> None:
    if ONLY and ONLY not in label:
        return
    plan = explain(qs)
    ms, n = best_ms(qs)
    problems = plan_problems(plan)
    if ms > TARGET_MS:
        problems.append(f"{ms:.0f} ms > {TARGET_MS:.0f} ms")
    results.append((label, ms, n, problems))
    print(f"\n=== {label}: {n} rows, best of {REPEAT} {ms:.1f} ms" + (
        f"  PROBLEM: {'; '.join(problems)}" if problems else ""))  # fmt: skip
    print(plan)


def search_cases() -> list[tuple[str, str]]:
    from motcua.dossiers.models import Dossier

    some = Dossier.objects.filter(pk=SIZE // 2).values("code", "applicant_id_number",
                                                       "applicant_phone").get()  # fmt: skip
    return [
        ("name, no diacritics", "nguyen van"),
        ("name, capitals with diacritics", "NGUYỄN VĂN"),
        ("name, capitalised", "Nguyen Van"),
        ("đ written đ", "Đặng Đức"),
        ("đ written d", "dang duc"),
        ("rare name, d for đ", "dinh quynh"),
        ("dossier code, lower case", some["code"].lower()),
        ("ID number", some["applicant_id_number"]),
        ("phone as written", some["applicant_phone"]),
    ]


def main() -> int:
    from_scratch = not os.environ.get("BENCH_REUSE")
    if from_scratch:
        base.recreate_database()
    base.setup_django()
    from django.db import connection

    from motcua.accounts.models import User
    from motcua.dossiers.selectors import dossier_list
    from motcua.dossiers.worklists import worklist_counts, worklist_rows, worklists_for

    if from_scratch:
        load_s = build(SIZE)
        print(f"{SIZE:,} dossiers loaded (with indexes and ANALYZE) in {load_s:.0f} s")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), pg_total_relation_size('dossiers_dossier') FROM dossiers_dossier"
        )
        count, size_bytes = cur.fetchone()
    print(f"{count:,} dossiers, table with indexes {size_bytes / 2**30:.2f} GiB; "
          f"{platform.node()}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
    print(f"search column equals applicant_search_text on {check_search_column()} sampled rows")

    leader = User.objects.get(username="province_leader")
    specialist = User.objects.get(username="dept_specialist")
    now = base.HISTORY_END  # the fixture's "now"
    results: list = []
    for label, text in search_cases():
        qs = dossier_list(user=leader, q=text).order_by("-received_at")[:ROWS]
        measure(f"search {label} {text!r} (province leader)", qs, results)
    for who, user in (("province leader", leader), ("department specialist", specialist)):
        for w in worklists_for(user):
            qs = worklist_rows(user=user, name=w.name, now=now).order_by("-received_at")[:ROWS]
            measure(f"worklist {w.name} ({who})", qs, results)
        names = [w.name for w in worklists_for(user)]
        t0 = time.perf_counter()
        counts = worklist_counts(user=user, now=now, names=names)  # as the pages ask
        print(f"\n--- tab counts of the {who} (one aggregate over the tabs shown, as the pages ask): "
              f"{(time.perf_counter() - t0) * 1000:.0f} ms: {counts}")  # fmt: skip

    print("\nSummary (best of 5, ms):")
    for label, ms, n, problems in results:
        print(
            f"  {ms:8.1f}  {n:>3} rows  {label}"
            + (f"  ✗ {'; '.join(problems)}" if problems else "")
        )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    failed = [r for r in results if r[3]]
    print("all plans index-served and within 300 ms" if not failed else f"{len(failed)} FAILED")
    if os.environ.get("BENCH_DROP") == "1":
        connection.close()
        drop_database()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
