"""The server's Prometheus metrics, in a registry of its own; GitHub's answers tallied."""

from __future__ import annotations

import collections
from types import SimpleNamespace
from typing import TypedDict

import aiohttp
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "AppMetrics", "GitHubTally", "Tally"]

REVIEW_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


class Tally(TypedDict):
    """GitHub's answers as the review process reports them (JSON)."""

    statuses: dict[str, int]  # HTTP status (or "error": no answer) -> requests
    remaining: dict[str, int]  # rate-limit resource -> X-RateLimit-Remaining


class AppMetrics:
    """One server's metrics; a registry per instance, so two servers in a process stay apart."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.deliveries = Counter(
            "tierbot_webhook_deliveries",
            "Webhook deliveries received, by event (unverified: not signed by GitHub) and outcome",
            ["event", "outcome"],
            registry=self.registry,
        )
        self.review_seconds = Histogram(
            "tierbot_review_duration_seconds",
            "Seconds from a worker taking a review to its end, by outcome",
            ["outcome"],
            buckets=REVIEW_BUCKETS,
            registry=self.registry,
        )
        self.github_requests = Counter(
            "tierbot_github_requests",
            "GitHub API requests by HTTP status (error: no answer)",
            ["status"],
            registry=self.registry,
        )
        self.rate_limit_remaining = Gauge(
            "tierbot_github_rate_limit_remaining",
            "X-RateLimit-Remaining of GitHub's latest answer, by resource (core, graphql, ...)",
            ["resource"],
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "tierbot_queue_depth", "Reviews waiting for a worker", registry=self.registry
        )
        self.superseded = Counter(
            "tierbot_reviews_superseded",
            "Queued reviews dropped because a newer head of the same pull request came",
            registry=self.registry,
        )

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)

    def count_github(self, tally: Tally) -> None:
        """Add what the review process counted of GitHub's answers since its last report."""
        for status, count in tally["statuses"].items():
            self.github_requests.labels(status).inc(count)
        for resource, remaining in tally["remaining"].items():
            self.rate_limit_remaining.labels(resource).set(remaining)


class GitHubTally:
    """GitHub's answers to the review process, counted by an aiohttp trace until taken."""

    def __init__(self) -> None:
        self._statuses: collections.Counter[str] = collections.Counter()
        self._remaining: dict[str, int] = {}

    def take(self) -> Tally:
        """The counts since the last ``take``, and the latest rate limits."""
        taken: Tally = {"statuses": dict(self._statuses), "remaining": dict(self._remaining)}
        self._statuses.clear()
        return taken

    def trace_config(self) -> aiohttp.TraceConfig:
        """Hooks for the reviews' HTTP session: every answer counted, its rate limit kept."""
        trace = aiohttp.TraceConfig()

        async def answered(
            session: aiohttp.ClientSession,
            context: SimpleNamespace,
            params: aiohttp.TraceRequestEndParams,
        ) -> None:
            response = params.response
            self._statuses[str(response.status)] += 1
            remaining = response.headers.get("X-RateLimit-Remaining")
            if remaining is not None and remaining.isdigit():
                resource = response.headers.get("X-RateLimit-Resource", "core")
                self._remaining[resource] = int(remaining)

        async def failed(
            session: aiohttp.ClientSession,
            context: SimpleNamespace,
            params: aiohttp.TraceRequestExceptionParams,
        ) -> None:
            self._statuses["error"] += 1

        trace.on_request_end.append(answered)
        trace.on_request_exception.append(failed)
        return trace
