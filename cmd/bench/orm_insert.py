#!/usr/bin/env python3
"""Bulk insert through SQLAlchemy (cmd/bench's orm-insert workload).

Inserts --rows rows into a fresh table in one transaction, --repeat times,
and prints one line per variant: "<variant> <median seconds>". The server
comes from --dsn (a libpq connection string for psycopg2).

Variants:
  orm        Session.add_all of mapped objects, then commit: the ORM's unit
             of work (SQLAlchemy 1.4 batches the INSERT ... RETURNING id
             with psycopg2's execute_values, 1,000 rows a statement).
  core       Session.execute(insert(Item), [dicts]): an executemany, batched
             the same way (no RETURNING).
  per-row    the same executemany with executemany_mode=None: psycopg2's
             cursor.executemany, one INSERT statement (one round trip) per
             row, which is what older SQLAlchemy and plain DB-API code do.
"""
import argparse
import datetime
import decimal
import os
import statistics
import time

import psycopg2

os.environ["SQLALCHEMY_SILENCE_UBER_WARNING"] = "1"

from sqlalchemy import Column, DateTime, Integer, Numeric, String, create_engine, insert, text  # noqa: E402
from sqlalchemy.dialects.postgresql import JSONB  # noqa: E402
from sqlalchemy.orm import Session, declarative_base  # noqa: E402

Base = declarative_base()


class Item(Base):
    __tablename__ = "bench_item"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    price = Column(Numeric(10, 2), nullable=False)
    created = Column(DateTime(timezone=True), nullable=False)
    data = Column(JSONB, nullable=False)


def rows(n):
    t = datetime.datetime(2024, 5, 1, tzinfo=datetime.timezone.utc)
    return [dict(name=f"item {i}", price=decimal.Decimal(i % 10000) / 100, created=t + datetime.timedelta(seconds=i),
                 data={"i": i, "tags": ["a", "b"]}) for i in range(n)]


def run(engine, variant, n):
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    data = rows(n)
    start = time.perf_counter()
    with Session(engine) as s:
        if variant == "orm":
            s.add_all([Item(**r) for r in data])
        else:
            s.execute(insert(Item), data)
        s.commit()
    elapsed = time.perf_counter() - start
    with engine.connect() as c:
        got = c.execute(text("SELECT count(*) FROM bench_item")).scalar()
    if got != n:
        raise SystemExit(f"{variant}: {got} rows, want {n}")
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dsn", required=True)
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--variants", default="orm,core,per-row")
    args = ap.parse_args()
    for variant in args.variants.split(","):
        kw = {"executemany_mode": None} if variant == "per-row" else {}
        engine = create_engine("postgresql+psycopg2://", creator=lambda: psycopg2.connect(args.dsn), future=True, **kw)
        times = [run(engine, variant, args.rows) for _ in range(args.repeat)]
        Base.metadata.drop_all(engine)
        engine.dispose()
        print(f"{variant} {statistics.median(times):.3f}", flush=True)


if __name__ == "__main__":
    main()
