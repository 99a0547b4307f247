"""Prints what the ORM reads back: one line per observation, so a
difference from PostgreSQL shows as a line of the comparison."""
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Count, Max, Q, Sum

from shop.models import Category, Coupon, Order, OrderLine, Product


class Command(BaseCommand):
    help = "Runs the framework test's ORM queries and prints their results."

    def step(self, name, fn):
        try:
            self.stdout.write(f"{name}: {fn()}")
        except Exception as e:  # printed, so the comparison shows it
            code = getattr(getattr(e, "__cause__", None), "pgcode", None)
            self.stdout.write(f"{name}: {type(e).__name__} {code} {str(e).splitlines()[0]}")

    def handle(self, *args, **options):
        ann = User.objects.get(username="admin")
        books = Category.objects.create(name="Books", slug="books")
        games = Category.objects.create(name="Games", slug="games")
        Category.objects.create(name="Empty", slug="empty")
        dune = Product.objects.create(category=books, name="Dune", price=Decimal("9.99"))
        Product.objects.create(category=books, name="Emma", price=Decimal("4.50"))
        go = Product.objects.create(category=games, name="Go", price=Decimal("25.00"), in_stock=False)
        coupon = Coupon.objects.create(code="TEN", percent=10)
        order = Order.objects.create(customer=ann, coupon=coupon, note="first")
        OrderLine.objects.create(order=order, product=dune, quantity=2)
        OrderLine.objects.create(order=order, product=go, quantity=1)

        self.step("count by category", lambda: [(c.name, c.n) for c in Category.objects.annotate(n=Count("product")).order_by("name")])
        self.step("values annotate", lambda: list(Product.objects.values("category__slug").annotate(n=Count("id"), top=Max("price")).order_by("category__slug")))
        self.step("aggregate", lambda: Product.objects.aggregate(total=Sum("price"), avg=Avg("price"), n=Count("id", filter=Q(in_stock=True))))
        self.step("order totals", lambda: [(o.note, o.items, o.kinds) for o in Order.objects.annotate(items=Sum("lines__quantity"), kinds=Count("lines"))])
        self.step("select_related", lambda: [(p.name, p.category.slug) for p in Product.objects.select_related("category").order_by("-price")])
        self.step("prefetch_related", lambda: [(c.slug, sorted(p.name for p in c.product_set.all())) for c in Category.objects.prefetch_related("product_set").order_by("slug")])
        self.step("icontains", lambda: list(Product.objects.filter(name__icontains="E").order_by("name").values_list("name", flat=True)))
        self.step("startswith", lambda: list(Category.objects.filter(slug__startswith="g").values_list("slug", flat=True)))
        self.step("exists subquery", lambda: list(Product.objects.filter(orderline__order__customer=ann).distinct().order_by("name").values_list("name", flat=True)))
        self.step("dates", lambda: [d.year > 2000 for d in Product.objects.dates("created", "year")])
        self.step("update", lambda: Product.objects.filter(category=books).update(in_stock=False))
        self.step("bulk_create", lambda: len(Category.objects.bulk_create([Category(name=f"C{i}", slug=f"c{i}") for i in range(5)])))

        def unique_violation():
            with transaction.atomic():
                Category.objects.create(name="Books", slug="books2")
        self.step("unique violation", unique_violation)

        def fk_violation():
            with transaction.atomic():
                Product.objects.create(category_id=999999, name="Ghost", price=1)
        self.step("deferred fk violation", fk_violation)

        def child_before_parent():
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: the
            # reference is checked at COMMIT, when the parent exists.
            with transaction.atomic():
                Product.objects.create(category_id=777, name="Early", price=1)
                Category.objects.create(id=777, name="Late", slug="late")
            return Product.objects.get(name="Early").category.slug
        self.step("deferred fk: child before parent", child_before_parent)

        def protect():
            from django.db.models import ProtectedError

            try:
                books.delete()
            except ProtectedError as e:
                return "ProtectedError " + ", ".join(sorted(p.name for p in e.protected_objects))
        self.step("protect", protect)
        self.step("set null", lambda: (coupon.delete(), Order.objects.get(pk=order.pk).coupon_id)[1])
        self.step("cascade", lambda: order.delete()[1])
        self.step("get_or_create", lambda: Category.objects.get_or_create(slug="games", defaults={"name": "x"})[1])
        self.step("select_for_update", lambda: transaction.atomic()(lambda: [c.slug for c in Category.objects.select_for_update().filter(slug="books")])())
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM shop_category")
            self.step("raw count", lambda: c.fetchone()[0])
