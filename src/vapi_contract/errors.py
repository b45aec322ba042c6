"""Exit codes and the errors that map to them.

Every command of ``vapi-contract`` ends with one of these codes; errors carry a one-line message
that is printed as ``vapi-contract: error: <message>`` (never a traceback, never a secret).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # the contract holds (drift that breaks nothing is allowed)
    VIOLATION = 1  # at least one confirmed violation (or breaking change, for `diff`)
    USAGE = 2  # usage or configuration error: missing key, malformed URL, key rejected
    UNREACHABLE = 3  # target unreachable or unusable: refused, timeouts, nothing but 5xx
    INCOMPLETE = 4  # the run could not check everything (unless --allow-incomplete)
    INTERNAL = 70  # a bug of vapi-contract (EX_SOFTWARE): the traceback, and for `run` the reports, say where
    # a run stopped by a signal exits 128 + the signal: 130 SIGINT, 143 SIGTERM (Interrupted.exit_code)


class ContractError(Exception):
    """Base of the errors the CLI turns into a one-line message and an exit code."""

    exit_code: ExitCode = ExitCode.USAGE
    # what the client had sent when the error ended the run (a StatsSnapshot; None: nothing sent)
    stats = None

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ConfigError(ContractError):
    """Bad configuration or usage (exit 2)."""

    exit_code = ExitCode.USAGE


class AuthRejected(ContractError):
    """The target rejected the key on a well-formed request (exit 2)."""

    exit_code = ExitCode.USAGE


class TargetUnreachable(ContractError):
    """The target could not be reached or answered nothing usable (exit 3)."""

    exit_code = ExitCode.UNREACHABLE


class Outage(TargetUnreachable):
    """The API stopped answering in the middle of a run (``runner.engine.outage``: a sustained
    stretch of failed requests, confirmed): the run stops, exit 3, the findings before it are kept."""


class OutOfTime(ContractError):
    """The run's ``--max-duration`` ran out while a request was waiting or in flight (the HTTP
    layer never waits past it).  Mid-run the planner records it and stops sending; a run that had
    not passed preflight cannot go on (exit 3: the target did not answer in time)."""

    exit_code = ExitCode.UNREACHABLE


class ForbiddenMethod(ContractError):
    """A request with a method other than GET/HEAD was about to be sent (read-only guard)."""

    exit_code = ExitCode.USAGE


class SourceError(ContractError):
    """A published OpenAPI document could not be read or does not describe GET /campaign."""

    exit_code = ExitCode.USAGE


class Interrupted(BaseException):
    """A run stopped by SIGINT or SIGTERM (``runner.engine.interrupt``): exit 128 + the signal.
    A ``BaseException``, like ``KeyboardInterrupt``: no ``except Exception`` takes it for a failure."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = int(signum)

    @property
    def name(self) -> str:
        import signal

        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class RequestBudgetExhausted(ContractError):
    """The run's --max-requests budget is spent.  Not an error exit by itself: the runner stops
    generating and reports what it could not check."""

    exit_code = ExitCode.OK
