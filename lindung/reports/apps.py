from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lindung.reports"

    def ready(self):
        # The area page (accounts, a lower app) shows the dashboard: reports hands it over.
        from lindung.accounts.area_views import AREA_PAGE_SECTIONS
        from lindung.reports.views import dashboard_context

        if dashboard_context not in AREA_PAGE_SECTIONS:
            AREA_PAGE_SECTIONS.append(dashboard_context)
