"""Prints the shop tables as Django's introspection sees them: columns
(get_table_description), sequences and constraints (get_constraints:
primary keys, foreign keys, unique and check constraints, indexes with
their columns, orders and access method). inspectdb is built on these."""
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Prints Django's introspection of the shop tables."

    def handle(self, *args, **options):
        intro = connection.introspection
        with connection.cursor() as cur:
            tables = sorted(t.name for t in intro.get_table_list(cur) if t.name.startswith("shop_"))
            for table in tables:
                self.stdout.write(f"table {table}")
                for col in intro.get_table_description(cur, table):
                    self.stdout.write(
                        f"  column {col.name} type_code={col.type_code} size={col.internal_size} "
                        f"precision={col.precision} scale={col.scale} null={col.null_ok} default={col.default}"
                    )
                self.stdout.write(f"  sequences {intro.get_sequences(cur, table)}")
                cons = intro.get_constraints(cur, table)
                for name in sorted(cons):
                    c = dict(cons[name])
                    self.stdout.write(f"  constraint {name} {sorted(c.items())}")
