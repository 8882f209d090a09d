"""Errors that stop a refresh with one clear message."""


class RawDataError(Exception):
    """A file-level problem in the raw directory: the run stops and the warehouse is left as it was."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")
