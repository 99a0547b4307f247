#!/usr/bin/env python3
"""Runs the SQLAlchemy, Alembic and psycopg 3 steps of the framework test
against the server named by PGHOST, PGPORT and PGUSER and prints one line
per observation.

Steps: (re)create the database fw_sqlalchemy; `alembic revision
--autogenerate` (the script is printed); `upgrade head`; a second
autogenerate, which must find nothing (reflection agrees with the
models); ORM CRUD through the relationships with JSONB, UUID, Numeric,
timestamptz and enum values; the inspector's tables, columns, keys,
indexes and constraints; psycopg 3's TypeInfo.fetch and EnumInfo;
`downgrade base`.

Normalizations: none. Generated UUIDs, timestamps and oids are not
printed, only their properties; revision ids are given (0001, 0002) and
the script template has no date.
"""
import contextlib
import datetime
import decimal
import io
import logging
import os
import shutil
import sys
import tempfile
import uuid

# SQLAlchemy 1.4 warns once about APIs 2.0 removed, naming this file's
# path: the warning is about SQLAlchemy, not the server.
os.environ["SQLALCHEMY_SILENCE_UBER_WARNING"] = "1"

import alembic  # noqa: E402
import psycopg  # noqa: E402
import psycopg2  # noqa: E402
import sqlalchemy  # noqa: E402
from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from sqlalchemy import create_engine, func, inspect, select, text  # noqa: E402
from sqlalchemy.orm import Session, joinedload, selectinload  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import models  # noqa: E402
from models import Author, Book, Status, Tag  # noqa: E402

DB = "fw_sqlalchemy"
# FW_SQLALCHEMY_DRIVER=psycopg runs SQLAlchemy (2.0 or later) on psycopg
# 3 instead of psycopg2; the test uses the default, the only driver
# Debian's SQLAlchemy 1.4 has a dialect for.
DRIVER = os.environ.get("FW_SQLALCHEMY_DRIVER", "psycopg2")
URL = f"postgresql+{DRIVER}:///{DB}"  # host, port and user from PG*


def out(*args):
    print(*args)
    sys.stdout.flush()


def step(name, fn, rollback=None):
    """Prints fn's result, or the error it raised (with its SQLSTATE);
    after an error calls rollback, so that the next step starts afresh."""
    try:
        out(f"{name}: {fn()}")
    except Exception as e:
        orig = getattr(e, "orig", e)
        code = getattr(orig, "pgcode", None) or getattr(orig, "sqlstate", None)
        out(f"{name}: {type(e).__name__} {code} {str(orig).splitlines()[0] if str(orig) else ''}")
        if rollback:
            rollback()


def admin_exec(*stmts):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        for s in stmts:
            cur.execute(s)
    conn.close()


def print_script(versions, rev):
    """Prints the migration script alembic wrote for rev."""
    name = [f for f in os.listdir(versions) if f.startswith(rev)][0]
    out(f"--- {name}")
    with open(os.path.join(versions, name)) as f:
        for line in f.read().rstrip("\n").splitlines():
            out(line)
    out("---")


def alembic_step(name, fn, versions):
    """Runs an alembic command, printing what it prints with the
    temporary versions directory's path replaced by <versions>."""
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            fn()
        result = "ok"
    except Exception as e:
        orig = getattr(e, "orig", e)
        code = getattr(orig, "pgcode", None)
        result = f"{type(e).__name__} {code} {str(orig).splitlines()[0] if str(orig) else ''}"
    sys.stdout.write(buf.getvalue().replace(versions, "<versions>"))
    out(f"{name}: {result}")


def orm(engine):
    with Session(engine) as s:
        def step(name, fn):
            globals()["step"](name, fn, rollback=s.rollback)

        ann = Author(name="Ann", email="ann@example.com")
        bob = Author(name="Bob")
        fiction, classic = Tag(name="fiction"), Tag(name="classic")
        ann.books = [
            Book(title="Emma", price=decimal.Decimal("4.50"), status=Status.published,
                 published_at=datetime.datetime(1815, 12, 23, tzinfo=datetime.timezone.utc),
                 meta={"pages": 474, "lang": "en", "tags": ["novel"]}, tags=[fiction, classic]),
            Book(title="Persuasion", price=decimal.Decimal("3.99"), meta={"pages": 249, "lang": "en"}, tags=[classic]),
        ]
        bob.books = [Book(title="Draft", meta={"lang": "fr", "nested": {"a": [1, 2.5, None, True]}})]

        def insert():
            s.add_all([ann, bob])
            s.commit()
            return "ok"
        step("insert", insert)
        if s.scalar(select(func.count()).select_from(Book)) != 3:
            return

        step("authors", lambda: [(a.name, a.email, [b.title for b in a.books]) for a in s.scalars(select(Author).order_by(Author.name))])
        step("server defaults", lambda: [(b.title, b.price, b.status.name, b.meta.get("lang")) for b in s.scalars(select(Book).order_by(Book.title))])
        step("uuid", lambda: sorted(isinstance(b.id, uuid.UUID) and b.id.version for b in s.scalars(select(Book))))
        step("timestamptz", lambda: [(b.title, b.published_at.isoformat() if b.published_at else None) for b in s.scalars(select(Book).order_by(Book.title))])
        step("created is aware", lambda: [a.created.utcoffset() is not None for a in s.scalars(select(Author).order_by(Author.name))])
        step("jsonb ->>", lambda: s.scalars(select(Book.title).where(Book.meta["lang"].astext == "en").order_by(Book.title)).all())
        step("jsonb @>", lambda: s.scalars(select(Book.title).where(Book.meta.contains({"tags": ["novel"]}))).all())
        step("jsonb has_key", lambda: s.scalars(select(Book.title).where(Book.meta.has_key("nested"))).all())
        step("jsonb path", lambda: s.scalar(select(Book.meta[("nested", "a")]).where(Book.title == "Draft")))
        step("enum filter", lambda: s.scalars(select(Book.title).where(Book.status == Status.published)).all())
        step("numeric sum", lambda: s.scalar(select(func.sum(Book.price))))
        step("group by join", lambda: s.execute(select(Author.name, func.count(Book.id), func.max(Book.price)).join(Author.books).group_by(Author.id).order_by(Author.name)).all())
        step("many-to-many", lambda: [(b.title, [t.name for t in b.tags]) for b in s.scalars(select(Book).options(selectinload(Book.tags)).order_by(Book.title))])
        step("joinedload", lambda: [(a.name, len(a.books)) for a in s.scalars(select(Author).options(joinedload(Author.books)).order_by(Author.name)).unique()])
        step("tag counts", lambda: s.execute(select(Tag.name, func.count()).join(models.book_tag).group_by(Tag.name).order_by(Tag.name)).all())

        def update():
            draft = s.scalars(select(Book).where(Book.title == "Draft")).one()
            draft.status = Status.archived
            draft.meta = dict(draft.meta, lang="de")
            draft.price = decimal.Decimal("12.345")
            s.commit()
            s.refresh(draft)
            return (draft.status.name, draft.meta["lang"], draft.price)
        step("update", update)

        def check_violation():
            try:
                s.add(Book(author=ann, title="Negative", price=-1))
                s.flush()
            finally:
                s.rollback()
        step("check violation", check_violation)

        def unique_violation():
            try:
                s.add(Book(author_id=s.scalar(select(Author.id).where(Author.name == "Ann")), title="Emma"))
                s.flush()
            finally:
                s.rollback()
        step("unique violation", unique_violation)

        def bad_enum():
            try:
                s.execute(text("INSERT INTO book (id, author_id, title, status) VALUES (:id, :a, 'X', 'lost')"),
                          {"id": uuid.uuid4(), "a": s.scalar(select(Author.id).where(Author.name == "Ann"))})
            finally:
                s.rollback()
        step("invalid enum value", bad_enum)

        def cascade():
            s.delete(s.scalars(select(Author).where(Author.name == "Ann")).one())
            s.commit()
            return (s.scalar(select(func.count()).select_from(Book)), s.scalar(select(func.count()).select_from(models.book_tag)))
        step("delete cascade", cascade)


def inspector(engine):
    insp = inspect(engine)
    out("tables:", sorted(insp.get_table_names()))
    out("enums:", [(e["name"], e["labels"]) for e in insp.get_enums()])
    def show(kind, items, key="name"):
        """The number of reflected items, then one line each, keys sorted."""
        return f"{len(items)}" + "".join(f"\n    {sorted(i.items())}" for i in sorted(items, key=lambda i: i[key] or ""))

    for table in sorted(insp.get_table_names()):
        if table == "alembic_version":
            continue
        out(f"table {table}")
        step("  columns", lambda: str(len(insp.get_columns(table))) + "".join(
            f"\n    {c['name']} {c['type']!r} nullable={c['nullable']} default={c['default']} autoincrement={c.get('autoincrement')}"
            for c in insp.get_columns(table)))
        step("  pk", lambda: insp.get_pk_constraint(table))
        step("  foreign keys", lambda: show("fk", insp.get_foreign_keys(table)))
        step("  indexes", lambda: show("index", insp.get_indexes(table)))
        step("  unique constraints", lambda: show("unique", insp.get_unique_constraints(table)))
        step("  check constraints", lambda: show("check", insp.get_check_constraints(table)))


def psycopg3():
    """psycopg 3's own type lookup (what SQLAlchemy 2's psycopg dialect
    and psycopg's adapters use): TypeInfo.fetch and EnumInfo.fetch."""
    from psycopg.types import TypeInfo
    from psycopg.types.enum import EnumInfo, register_enum

    with psycopg.connect(dbname=DB) as conn:
        for name in ["jsonb", "uuid", "numeric", "timestamptz", "int4", "text[]", "book_status"]:
            def fetch(name=name):
                info = TypeInfo.fetch(conn, name)
                if info is None:
                    return None
                builtin = info.oid < 16384
                return (info.name, info.oid if builtin else "user oid", info.array_oid if builtin else "user array oid",
                        info.regtype, info.delimiter)
            step(f"TypeInfo.fetch({name})", fetch)
        step("TypeInfo.fetch(nosuch)", lambda: TypeInfo.fetch(conn, "nosuch"))
        conn.rollback()

        def enum_info():
            info = EnumInfo.fetch(conn, "book_status")
            register_enum(info, conn, Status)
            row = conn.execute("SELECT array_agg(status ORDER BY status) FROM book").fetchone()
            got = conn.execute("SELECT %s::book_status", [Status.published]).fetchone()[0]
            return (info.name, info.labels, row, got)
        step("EnumInfo", enum_info)
        conn.rollback()

        def types_roundtrip():
            cur = conn.execute(
                "SELECT %s::uuid, %s::numeric, %s::timestamptz, %s::jsonb",
                [uuid.UUID(int=1), decimal.Decimal("1.50"), datetime.datetime(2024, 5, 1, 12, tzinfo=datetime.timezone.utc),
                 psycopg.types.json.Jsonb({"a": [1, None]})])
            return (cur.fetchone(), [(d.name, d.type_code) for d in cur.description])
        step("psycopg round trip", types_roundtrip)
        conn.rollback()


def main():
    out("SQLAlchemy", sqlalchemy.__version__, "Alembic", alembic.__version__, "psycopg", psycopg.__version__,
        "psycopg2", psycopg2.__version__.split()[0])
    class CurrentStdout:  # logs follow redirect_stdout, in order
        def write(self, s):
            sys.stdout.write(s)

        def flush(self):
            sys.stdout.flush()

    logging.basicConfig(stream=CurrentStdout(), level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.INFO)
    admin_exec(f"DROP DATABASE IF EXISTS {DB}", f"CREATE DATABASE {DB}")

    versions = tempfile.mkdtemp(prefix="fw-alembic-")
    try:
        cfg = Config()
        cfg.set_main_option("script_location", os.path.join(HERE, "alembic"))
        cfg.set_main_option("version_locations", versions)
        cfg.set_main_option("sqlalchemy.url", URL)

        alembic_step("revision --autogenerate", lambda: command.revision(cfg, message="initial", autogenerate=True, rev_id="0001"), versions)
        print_script(versions, "0001")
        alembic_step("upgrade head", lambda: command.upgrade(cfg, "head"), versions)
        alembic_step("second revision --autogenerate", lambda: command.revision(cfg, message="nothing", autogenerate=True, rev_id="0002"), versions)
        if any(f.startswith("0002") for f in os.listdir(versions)):
            print_script(versions, "0002")
        alembic_step("upgrade head (empty)", lambda: command.upgrade(cfg, "head"), versions)

        engine = create_engine(URL, future=True)
        for name, phase in [("orm", lambda: orm(engine)), ("inspector", lambda: inspector(engine)), ("psycopg 3", psycopg3)]:
            try:
                phase()
            except Exception as e:  # the next phase may still work
                orig = getattr(e, "orig", e)
                out(f"{name} stopped: {type(e).__name__} {getattr(orig, 'pgcode', None)} {str(orig).splitlines()[0]}")
        engine.dispose()

        alembic_step("downgrade base", lambda: command.downgrade(cfg, "base"), versions)
        engine = create_engine(URL, future=True)
        insp = inspect(engine)
        out("tables left:", sorted(insp.get_table_names()))
        out("enums left:", [e["name"] for e in insp.get_enums()])
        engine.dispose()
    finally:
        shutil.rmtree(versions)
    admin_exec(f"DROP DATABASE {DB}")


if __name__ == "__main__":
    main()
