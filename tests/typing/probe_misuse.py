"""Jobs that misread their operations' results, on purpose: tests/test_typing.py runs mypy on
it and expects an error on each line whose comment says "misuse" (with a part of mypy's
message), and on no other line. Neither the project's mypy run (bot/ only) nor pytest (no
test_ prefix) reads it.
"""

from __future__ import annotations

from bot.port.operations import (
    CreateComment,
    GetPullRequest,
    Job,
    ListCheckRuns,
    ListPullFiles,
    ReadFiles,
    ask,
)


def misread(number: int) -> Job[int]:
    """Each read as a careless job might write it; every one is caught."""
    pr = yield from ask(GetPullRequest(number))
    count: int = pr.no_such_field  # misuse: "PullRequest" has no attribute "no_such_field"
    listed = yield from ask(ListPullFiles(number, count))
    path: str = listed.files[0]  # misuse: Incompatible types in assignment
    found = yield from ask(ReadFiles(pr.head_sha, (path,)))
    text: bytes = found[path]  # misuse: Incompatible types in assignment
    runs = yield from ask(ListCheckRuns(pr.head_sha, "tierbot"))
    newest_id: str = runs[0].id  # misuse: Incompatible types in assignment
    made = yield from ask(CreateComment(number, text.decode() + newest_id))
    return made.id  # misuse: Item "None" of "Comment | None" has no attribute "id"


def unasked(number: int) -> Job[str]:
    """A bare ``yield`` is sent an ``object``: a read is of use only asked for."""
    pr = yield GetPullRequest(number)
    return pr.head_sha  # misuse: "object" has no attribute "head_sha"
