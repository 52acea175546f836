"""Every log line of a delivery's work names the delivery: a context variable and a Filter."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DELIVERY: ContextVar[str] = ContextVar("tierbot_delivery", default="-")
FORMAT = "%(asctime)s %(levelname)s [%(delivery)s] %(name)s: %(message)s"


class DeliveryFilter(logging.Filter):
    """Sets ``record.delivery``: the delivery whose work is running, or "-"."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.delivery = DELIVERY.get()
        return True


def configure(level: int = logging.INFO) -> None:
    """One stderr handler on the root logger, every record stamped with its delivery."""
    handler = logging.StreamHandler()
    handler.addFilter(DeliveryFilter())
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


@contextmanager
def delivery(delivery_id: str) -> Iterator[None]:
    """Log lines inside the block, and tasks started from it, name ``delivery_id``."""
    token = DELIVERY.set(delivery_id)
    try:
        yield
    finally:
        DELIVERY.reset(token)
