"""Drives psycopg 3 (and psycopg2) against a server: types through the
driver's own adapters, prepared statements, transactions, errors, TypeInfo
and cursor.description. It prints one line per observation;
server/drivers_test.go compares the output with psycopg_client.expected,
which is what PostgreSQL 15 prints.

Usage: python3 psycopg_client.py 'host=... port=... user=... dbname=...'
"""

import datetime
import decimal
import sys
import uuid

import psycopg
import psycopg2
import psycopg2.errors
from psycopg.types import TypeInfo
from psycopg.types.json import Jsonb


def out(key, value):
    print(f"{key}: {value}")


def show(v):
    # Datetimes print as UTC instants: the zone object psycopg attaches
    # depends on the server's TimeZone name (UTC or Etc/UTC).
    if isinstance(v, datetime.datetime):
        return f"datetime={v.astimezone(datetime.timezone.utc).isoformat()}"
    return f"{type(v).__name__}={v!r}"


def round_trip(conn):
    conn.execute("DROP TABLE IF EXISTS py_items")
    conn.execute(
        "CREATE TABLE py_items (id int PRIMARY KEY, big bigint, price numeric(10,2), name text NOT NULL,"
        " code varchar(8), ok boolean, made date, at timestamptz, tag uuid, doc jsonb, raw bytea)"
    )
    at = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.timezone.utc)
    tag = uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
    rows = [
        (i, 9000000000 + i, decimal.Decimal("12.5") + i, f"item {i}", f"c{i}", i % 2 == 0,
         datetime.date(2024, 5, i), at + datetime.timedelta(days=i), tag, Jsonb({"k": i, "s": "é", "l": [1, None]}),
         bytes([1, 2, 240 + i]))
        for i in range(1, 8)
    ]
    with conn.cursor() as cur:
        # executemany prepares once and reuses the statement.
        cur.executemany("INSERT INTO py_items VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
        # prepare=True forces a named server-side statement at once.
        for i in range(1, 8):
            cur.execute("SELECT id, big, price, name, code, ok, made, at, tag, doc, raw FROM py_items WHERE id = %s",
                        (i,), prepare=True)
            got = cur.fetchone()
            want = rows[i - 1]
            if got[:9] != want[:9] or got[9] != want[9].obj or got[10] != want[10]:
                raise SystemExit(f"row {i} did not round-trip: {got!r} != {want!r}")
        out("round trip", "7 rows")
        out("row", " | ".join(show(v) for v in got))
        for d in cur.description:
            out("description", f"{d.name} type_code={d.type_code} display_size={d.display_size} "
                f"internal_size={d.internal_size} precision={d.precision} scale={d.scale}")
        # Binary results use the same adapters.
        cur.execute("SELECT price, tag, doc, at, raw FROM py_items WHERE id = %s", (3,), binary=True)
        out("binary row", " | ".join(show(v) for v in cur.fetchone()))
        # Parameters of every kind, typed by the driver.
        cur.execute("SELECT %s + 1, %s * 2, %s::text, %s, %s::int IS NULL, %s->>'k'",
                    (41, decimal.Decimal("1.25"), tag, [1, 2, 3], None, Jsonb({"k": "v"})))
        out("params", cur.fetchone())


def transactions(conn):
    conn.execute("DROP TABLE IF EXISTS py_log")
    conn.execute("CREATE TABLE py_log (id int PRIMARY KEY, note text)")
    try:
        with conn.transaction():
            conn.execute("INSERT INTO py_log VALUES (1, 'rolled back')")
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    with conn.transaction():
        conn.execute("INSERT INTO py_log VALUES (2, 'kept')")
        try:
            with conn.transaction():  # a savepoint
                conn.execute("INSERT INTO py_log VALUES (3, 'inner')")
                raise RuntimeError("inner")
        except RuntimeError:
            pass
    out("after transactions", conn.execute("SELECT array_agg(id ORDER BY id) FROM py_log").fetchone()[0])


def errors(conn):
    try:
        conn.execute("INSERT INTO py_log VALUES (2, 'dup')")
        out("duplicate", "no error")
    except psycopg.errors.UniqueViolation as e:
        out("duplicate", f"{e.sqlstate} {type(e).__name__} constraint={e.diag.constraint_name} table={e.diag.table_name}")
    try:
        conn.execute("SELECT 1/0")
    except psycopg.Error as e:
        out("division", f"{e.sqlstate} {e.diag.message_primary}")
    out("session continues", conn.execute("SELECT count(*) FROM py_log").fetchone()[0])


def type_info(conn):
    for name in ("jsonb", "uuid", "numeric", "int4", "text", "bytea", "timestamptz"):
        t = TypeInfo.fetch(conn, name)
        out("typeinfo", f"{t.name} oid={t.oid} array_oid={t.array_oid} regtype={t.regtype}")
    out("typeinfo missing", TypeInfo.fetch(conn, "no_such_type"))
    # Adapters: the oids the driver dumps parameters with.
    for obj in (uuid.uuid4(), decimal.Decimal("1.5"), Jsonb({}), 1, 2**40, "s", True, datetime.date.today()):
        out("dumper", f"{type(obj).__name__} oid={conn.adapters.get_dumper(type(obj), psycopg.adapt.PyFormat.AUTO)(type(obj)).oid}")


def psycopg2_client(dsn):
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    cur.execute("SELECT id, price, tag, doc, made, at FROM py_items WHERE id = %s", (5,))
    row = cur.fetchone()
    out("psycopg2 row", " | ".join(show(v) for v in row))
    out("psycopg2 description", [(d.name, d.type_code) for d in cur.description])
    try:
        cur.execute("INSERT INTO py_log VALUES (2, 'dup')")
    except psycopg2.errors.UniqueViolation as e:
        out("psycopg2 duplicate", e.pgcode)
        conn.rollback()
    cur.execute("SELECT count(*) FROM py_log")
    out("psycopg2 continues", cur.fetchone()[0])
    conn.close()


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: psycopg_client.py DSN")
    dsn = sys.argv[1]
    with psycopg.connect(dsn, autocommit=True) as conn:
        out("server_version ok", conn.info.server_version >= 150000)
        round_trip(conn)
        transactions(conn)
        errors(conn)
        type_info(conn)
    psycopg2_client(dsn)


if __name__ == "__main__":
    main()
