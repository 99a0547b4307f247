"""The SQLAlchemy models of the framework test: a one-to-many and a
many-to-many relationship, JSONB, UUID, Numeric, timestamptz and a native
enum, server defaults, a composite unique constraint, a check constraint
and indexes."""
import enum
import uuid

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Status(enum.Enum):
    draft = "draft"
    published = "published"
    archived = "archived"


book_tag = Table(
    "book_tag",
    Base.metadata,
    Column("book_id", ForeignKey("book.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id"), primary_key=True),
)


class Author(Base):
    __tablename__ = "author"
    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True)
    email = Column(String(200), index=True)
    created = Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    books = relationship("Book", back_populates="author", cascade="all, delete-orphan", order_by="Book.title")


class Book(Base):
    __tablename__ = "book"
    id = Column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    author_id = Column(ForeignKey("author.id", ondelete="CASCADE"), nullable=False, index=True)
    title = Column(String(200), nullable=False)
    price = Column(Numeric(10, 2), nullable=False, server_default=text("0"))
    status = Column(Enum(Status, name="book_status"), nullable=False, server_default="draft")
    published_at = Column(DateTime(timezone=True))
    meta = Column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    author = relationship(Author, back_populates="books")
    tags = relationship("Tag", secondary=book_tag, order_by="Tag.name")
    __table_args__ = (
        UniqueConstraint("author_id", "title", name="uq_book_author_title"),
        CheckConstraint("price >= 0", name="ck_book_price"),
        Index("ix_book_status_published", "status", "published_at"),
    )


class Tag(Base):
    __tablename__ = "tag"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), nullable=False, unique=True)
