"""Model fields shared by the apps."""

from django.db import models


class AreaCodeField(models.CharField):
    """A dotted Kemendagri code ("18.11.01.2001").

    Scoping compares codes as byte strings (code >= '18.11.' AND code < '18.11/'), so on
    PostgreSQL the column uses the "C" collation: a locale collation that ignores punctuation
    would put '18.11/' before '18.11.01' and make the range scan wrong.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 13)
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params
