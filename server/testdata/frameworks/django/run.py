#!/usr/bin/env python3
"""Runs the Django steps of the framework test against the server named by
PGHOST, PGPORT and PGUSER and prints what they print, normalized.

Steps: (re)create the database fw_django; migrate; createsuperuser
--noinput; the ORM queries of `manage.py fwqueries`; `manage.py test`
(creates and drops test_fw_django); migrate shop back to 0001 and
forward to 0002 (drops and adds a foreign key); sqlmigrate of 0002;
inspectdb; migrate every app back to zero.

Normalizations (each is something that legitimately differs between two
runs on the same server):
- "Ran N tests in 1.234s": the duration becomes "Ns".
Nothing else is rewritten: oids and timings are not printed.
"""
import os
import re
import subprocess
import sys

import psycopg2

HERE = os.path.dirname(os.path.abspath(__file__))
DB = "fw_django"


def admin_exec(*stmts):
    conn = psycopg2.connect(dbname="postgres", sslmode="disable")
    conn.autocommit = True
    with conn.cursor() as cur:
        for s in stmts:
            cur.execute(s)
    conn.close()


def normalize(text):
    return re.sub(r"^(Ran \d+ tests? in )[0-9.]+s$", r"\1Ns", text, flags=re.M)


def manage(*args, env=None):
    print("$ manage.py " + " ".join(args))
    sys.stdout.flush()
    full_env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **(env or {}))
    p = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=HERE,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    out = normalize(p.stdout)
    # A failing command prints a traceback whose frames name this
    # machine's paths; the exception's own line is what matters (the
    # last "module.Error: message" line, without psycopg2's LINE and
    # caret lines after it).
    tb = out.find("Traceback (most recent call last):")
    if tb >= 0:
        exc = [l for l in out[tb:].splitlines() if re.match(r"[A-Za-z_][\w.]*: ", l)]
        out = out[:tb] + "\n" + (exc[-1] if exc else "(no exception line)") + "\n"
    sys.stdout.write(out)
    print(f"(exit {p.returncode})")
    sys.stdout.flush()


def main():
    import django

    print("Django", django.get_version(), "psycopg2", psycopg2.__version__.split()[0])
    admin_exec(f"DROP DATABASE IF EXISTS test_{DB}", f"DROP DATABASE IF EXISTS {DB}", f"CREATE DATABASE {DB}")
    manage("migrate", "--noinput")
    manage("createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.com",
           env={"DJANGO_SUPERUSER_PASSWORD": "secret"})
    manage("fwqueries")
    manage("test", "--noinput", "-v", "2", "shop")
    manage("migrate", "shop", "0001")
    manage("migrate", "shop", "0002")
    manage("sqlmigrate", "shop", "0002")
    manage("inspectdb")
    manage("fwintrospect")
    manage("migrate", "shop", "zero")
    manage("migrate", "admin", "zero")
    manage("migrate", "auth", "zero")
    manage("migrate", "sessions", "zero")
    manage("migrate", "contenttypes", "zero")
    conn = psycopg2.connect(dbname=DB, sslmode="disable")
    with conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        print("tables left:", [r[0] for r in cur.fetchall()])
    conn.close()
    admin_exec(f"DROP DATABASE {DB}")


if __name__ == "__main__":
    main()
