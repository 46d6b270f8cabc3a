class ApplicationError(Exception):
    """A business rule refused an action. ``message`` is translated and shown to the user."""

    def __init__(self, message, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
