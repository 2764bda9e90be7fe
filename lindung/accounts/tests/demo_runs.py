"""The demo seeded as `manage.py seed_demo` seeds it, for the demo tests of each app."""

from lindung.accounts import demo as accounts_demo


def run_demo(*demos) -> dict:
    """Seed the demo accounts, then each of these apps' demo modules in turn; the context."""
    context: dict = {}
    for module in (accounts_demo, *demos):
        module.seed(context)
    return context
