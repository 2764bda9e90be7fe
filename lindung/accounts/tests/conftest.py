"""The access matrix's world (access_world.py), a fixture for this folder's tests."""

from lindung.accounts.tests.access_world import world  # noqa: F401
