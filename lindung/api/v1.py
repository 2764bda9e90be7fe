"""Version 1 of the API: every operation's router attached to the one NinjaAPI."""

from lindung.api import areas, cases, exchange, persons
from lindung.api.api import api

api.add_router("", persons.router)
api.add_router("", cases.router)
api.add_router("", areas.router)
api.add_router("", exchange.router)
