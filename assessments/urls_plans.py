"""Plan pages (the transition plan)."""

urlpatterns: list = []
