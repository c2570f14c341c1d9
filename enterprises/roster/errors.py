from typing import Any

from enterprises.roster import messages
from portal.exceptions import ServiceError


class RosterRefused(ServiceError):
    """The whole file is refused; `code` and `params` name the reason for the report."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(messages.text(code, **params), code=code)
        self.params = params

    def as_message(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}
