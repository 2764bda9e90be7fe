"""The one error type for broken business rules."""


class ApplicationError(Exception):
    """A rule of Lindung refused the change; `message` is shown to the user as it is.

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code
