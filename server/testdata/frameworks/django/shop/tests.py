"""Run by `manage.py test` in a test database Django creates and drops.
TestCase wraps each test in a transaction (savepoints inside) and checks
deferred constraints with SET CONSTRAINTS ALL IMMEDIATE before rolling
back; TransactionTestCase flushes the tables (TRUNCATE) after each test."""
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.test import TestCase, TransactionTestCase

from .models import Category, Coupon, Order, OrderLine, Product


def fill():
    books = Category.objects.create(name="Books", slug="books")
    games = Category.objects.create(name="Games", slug="games")
    Category.objects.create(name="Empty", slug="empty")
    Product.objects.create(category=books, name="Dune", price=Decimal("9.99"))
    Product.objects.create(category=books, name="Emma", price=Decimal("4.50"))
    Product.objects.create(category=games, name="Go", price=Decimal("25.00"), in_stock=False)
    return books, games


class ShopTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.books, cls.games = fill()
        cls.user = User.objects.create_user("ann", "ann@example.com", "pw")

    def test_annotate_count(self):
        rows = Category.objects.annotate(n=Count("product")).order_by("name")
        self.assertEqual([(c.name, c.n) for c in rows], [("Books", 2), ("Empty", 0), ("Games", 1)])

    def test_aggregate_through_foreign_keys(self):
        order = Order.objects.create(customer=self.user)
        for p in Product.objects.all():
            OrderLine.objects.create(order=order, product=p, quantity=2)
        totals = Order.objects.annotate(items=Sum("lines__quantity"), kinds=Count("lines")).get()
        self.assertEqual((totals.items, totals.kinds), (6, 3))

    def test_unique_together(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Product.objects.create(category=self.books, name="Dune", price=1)
        self.assertEqual(Product.objects.filter(name="Dune").count(), 1)

    def test_unique_constraint(self):
        order = Order.objects.create(customer=self.user)
        p = Product.objects.get(name="Go")
        OrderLine.objects.create(order=order, product=p, quantity=1)
        with self.assertRaises(IntegrityError), transaction.atomic():
            OrderLine.objects.create(order=order, product=p, quantity=5)

    def test_check_constraint(self):
        order = Order.objects.create(customer=self.user)
        with self.assertRaises(IntegrityError), transaction.atomic():
            OrderLine.objects.create(order=order, product=Product.objects.first(), quantity=-1)

    def test_protect_and_set_null(self):
        from django.db.models import ProtectedError

        with self.assertRaises(ProtectedError):
            self.books.delete()
        coupon = Coupon.objects.create(code="TEN", percent=10)
        order = Order.objects.create(customer=self.user, coupon=coupon)
        coupon.delete()
        order.refresh_from_db()
        self.assertIsNone(order.coupon)

    def test_admin_changelist(self):
        admin = User.objects.create_superuser("boss", "boss@example.com", "pw")
        self.client.force_login(admin)
        r = self.client.get("/admin/shop/product/", {"q": "e", "category__id__exact": self.books.id})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Dune")
        self.assertContains(r, "Emma")
        r = self.client.get("/admin/")
        self.assertEqual(r.status_code, 200)


class FlushTests(TransactionTestCase):
    def test_rows_then_flush(self):
        fill()
        self.assertEqual(Product.objects.count(), 3)
        with transaction.atomic():
            Category.objects.create(name="Music", slug="music")
            sid = transaction.savepoint()
            Category.objects.create(name="Film", slug="film")
            transaction.savepoint_rollback(sid)
        self.assertEqual(sorted(Category.objects.values_list("slug", flat=True)), ["books", "empty", "games", "music"])
