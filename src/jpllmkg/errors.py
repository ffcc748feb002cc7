"""Errors the command line reports as one clear paragraph (never a traceback)."""

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


class JpllmkgError(Exception):
    """An error caused by input or usage; its message is shown to the user as is."""

    exit_code = EXIT_USAGE


class ProjectNotFoundError(JpllmkgError):
    """No project directory (with ontology/jpllm.ttl) was found."""


class ProjectIncompleteError(JpllmkgError):
    """The project lacks a part every project needs (ontology, shapes, graph/, queries/)."""


class InputFileError(JpllmkgError):
    """A file of the project cannot be read or parsed."""


class QueryFailedError(JpllmkgError):
    """A well-formed query failed while being evaluated."""


class UsageError(JpllmkgError):
    """A command was called with a bad name, parameter or value."""
