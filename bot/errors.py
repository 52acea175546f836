"""The exceptions tierbot raises, one hierarchy for every layer."""


class TierbotError(Exception):
    """Base of every error tierbot reports to its user."""

    #: The head commit of the pull request whose review it stopped, once the review had read
    #: it (``bot.jobs.review.pull_request`` sets it): where the error is reported.
    reviewed_head: str | None = None


class UsageError(TierbotError):
    """The command line, a config file or a rules file is wrong: exit code 2."""


class ConfigError(UsageError):
    """A configuration file (``.github/tierbot.yml``) is invalid."""


class RulesError(UsageError):
    """A rules file is invalid."""


class ForgeError(TierbotError):
    """GitHub answered a request with an error tierbot cannot work around."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        #: The port operation that failed, by name: the driver sets it as it gives up.
        self.operation: str | None = None


class TokenCannotWrite(ForgeError):
    """The token may read but not write (403 "Resource not accessible by integration")."""


class NotFound(ForgeError):
    """The resource does not exist (404)."""


class AlreadyExists(ForgeError):
    """A create request met an existing resource (422 ``already_exists``)."""


class Conflict(ForgeError):
    """A write GitHub refused for what it holds now (422): a branch moved on, not a
    fast-forward; reading again and redoing the work resolves it."""


class RetryableError(ForgeError):
    """A 5xx answer or a rate limit; ``retry_after`` is GitHub's hint in seconds, if any."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after
