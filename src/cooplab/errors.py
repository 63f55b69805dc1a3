"""The exception tree of cooplab; every error has a code and an HTTP status.

    CooplabError (500, internal)
     ├── UnauthorizedError (401, unauthorized)    not signed in, or a wrong password or token
     ├── ForbiddenError (403, forbidden)          signed in, but the role does not allow it
     ├── NotFoundError (404, not_found)           also for records one may not see
     │    └── MergedError (404, merged)           an organization merged into another
     ├── TooManyAttemptsError (429, too_many_attempts)
     ├── ConflictError (409, conflict)
     │    └── StaleVersionError (409, stale_version)
     └── InvalidInputError (422, invalid_input)   carries details: [{"loc", "msg"}]
          └── ImportFileError (422, invalid_file) carries the file name and bad rows
               ├── FileTooLargeError (413, too_large)
               └── UnsupportedFileError (415, unsupported_file)

The API renders every error as {"error": {"code", "message", "details"}}; the CLI prints the
message and exits non-zero; the web UI shows it next to the field or on an error page.

Besides its class's `code`, an error carries a `reason` (a stable code of what exactly went wrong,
such as "record_missing") and its `params`; each detail may carry its own "code" and "params".
Pages translate by these codes (`error.<reason>`, `err.<code>`), never by the English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError

#: Keys of an error detail kept for the pages that translate it, not sent in API answers.
INTERNAL_DETAIL_KEYS = frozenset({"code", "params"})


class CooplabError(Exception):
    """Base of every error cooplab raises on purpose."""

    status = 500
    code = "internal"

    def __init__(
        self,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        reason: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []
        self.reason = reason or self.code
        self.params = params

    def to_dict(self) -> dict[str, Any]:
        details = [{k: v for k, v in d.items() if k not in INTERNAL_DETAIL_KEYS} for d in self.details]
        return {"error": {"code": self.code, "message": self.message, "details": details}}


class DatabaseUnavailableError(CooplabError):
    """The database did not answer (restarted, or the connection dropped); worth trying again."""

    status = 503
    code = "unavailable"
    MESSAGE = "the database did not answer; try again in a moment"

    @classmethod
    def lost_connection(cls, exc: BaseException) -> DatabaseUnavailableError | None:
        """This error if `exc` is SQLAlchemy's report of a connection that went away in use
        (the pool is renewed then, so trying again works); else None."""
        if getattr(exc, "connection_invalidated", False):
            return cls(cls.MESSAGE)
        return None

    BUSY_MESSAGE = "the database is busy with another write; try again in a moment"
    #: SQLite's "database is locked" (SQLITE_BUSY, SQLITE_LOCKED, by primary result code) and
    #: PostgreSQL's waits given up: serialization failure, deadlock, lock_timeout, statement_timeout.
    _SQLITE_BUSY_CODES = frozenset({5, 6})
    _PG_BUSY_STATES = frozenset({"40001", "40P01", "55P03", "57014"})

    @classmethod
    def busy(cls, exc: BaseException) -> DatabaseUnavailableError | None:
        """This error if `exc` is the database giving up a wait for another transaction's lock
        (nothing of this transaction is kept, so trying again works); else None."""
        orig = getattr(exc, "orig", None)
        code = getattr(orig, "sqlite_errorcode", None)
        busy = (isinstance(code, int) and code & 0xFF in cls._SQLITE_BUSY_CODES) or (
            getattr(orig, "sqlstate", None) in cls._PG_BUSY_STATES
        )
        return cls(cls.BUSY_MESSAGE, reason="database_busy") if busy else None


class BadRequestError(CooplabError):
    """The request cannot be read at all (a body that is not valid JSON)."""

    status = 400
    code = "bad_request"


class RequestTooLargeError(CooplabError):
    """The request body is over the size limit, however it was sent (declared or streamed)."""

    status = 413
    code = "too_large"


class UnauthorizedError(CooplabError):
    """Not signed in, or the password or token is wrong, expired or revoked."""

    status = 401
    code = "unauthorized"


class ForbiddenError(CooplabError):
    """Signed in, but the role (or the token's scope) does not allow this."""

    status = 403
    code = "forbidden"


class TooManyAttemptsError(CooplabError):
    """Too many failed sign-ins in a short time; try again later."""

    status = 429
    code = "too_many_attempts"


class NotFoundError(CooplabError):
    """The record asked for does not exist (or was merged away)."""

    status = 404
    code = "not_found"

    @classmethod
    def record(cls, what: str, record_id: int | str) -> NotFoundError:
        """A record that does not exist (or that the reader may not see): "organization 5"."""
        return cls(f"{what} {record_id} does not exist", reason="record_missing", what=what, id=record_id)


class MergedError(NotFoundError):
    """The organization was merged into another; `merged_into_id` names the survivor."""

    code = "merged"

    def __init__(self, organization_id: int, merged_into_id: int) -> None:
        super().__init__(
            f"organization {organization_id} was merged into organization {merged_into_id}",
            details=[{"loc": ["id"], "msg": "merged", "merged_into_id": merged_into_id}],
            reason="merged",
            id=organization_id,
            merged_into_id=merged_into_id,
        )
        self.merged_into_id = merged_into_id


class ConflictError(CooplabError):
    """The change would break a rule of the registry (a duplicate identifier, a self-merge)."""

    status = 409
    code = "conflict"


class StaleVersionError(ConflictError):
    """The edit is based on an old version of the record: someone saved in between."""

    code = "stale_version"


class InvalidInputError(CooplabError):
    """One or more fields are invalid; details lists each as {"loc": [...], "msg": "..."}."""

    status = 422
    code = "invalid_input"


class ImportFileError(InvalidInputError):
    """A spreadsheet cannot be imported; details name the file, row and field of each problem."""

    code = "invalid_file"


class CodedValueError(ValueError):
    """A value a rule refuses, with a stable code and parameters for the pages that translate
    it (`err.<code>`). Raised in a pydantic validator, it stays the error's context."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def field_error(
    loc: list[str | int] | tuple[str | int, ...], msg: str, code: str | None = None, **params: Any
) -> dict[str, Any]:
    """One entry of InvalidInputError.details: where, what (English), and the code to translate."""
    detail: dict[str, Any] = {"loc": list(loc), "msg": msg}
    if code is not None:
        detail["code"] = code
        detail["params"] = params
    return detail


def error_code(err: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The stable code and parameters of one pydantic error: a CodedValueError's own, else
    pydantic's error type with the plain values of its context."""
    context = err.get("ctx") or {}
    cause = context.get("error")
    if isinstance(cause, CodedValueError):
        return cause.code, dict(cause.params)
    return str(err["type"]), {
        k: _plain(v) for k, v in context.items() if isinstance(v, str | int | float | Decimal)
    }


def _plain(value: Any) -> Any:
    """A bound of a decimal field (a share's 100) as the number it is, for the messages."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def invalid_input(exc: ValidationError, prefix: tuple[str, ...] = ()) -> InvalidInputError:
    """A pydantic ValidationError as our InvalidInputError, one detail per bad field; each
    detail keeps pydantic's error type as its code, for the pages that translate it."""
    details = []
    for err in exc.errors():
        code, params = error_code(err)
        details.append(field_error([*prefix, *[str(p) for p in err["loc"]]], err["msg"], code, **params))
    fields = ", ".join(".".join(d["loc"][len(prefix) :]) or "input" for d in details)
    return InvalidInputError(f"invalid {fields}", details=details)


class FileTooLargeError(ImportFileError):
    """The upload or request body is larger than the limit."""

    status = 413
    code = "too_large"


class UnsupportedFileError(ImportFileError):
    """The upload is not of a kind cooplab reads (XLSX or CSV), or its name is not acceptable."""

    status = 415
    code = "unsupported_file"
