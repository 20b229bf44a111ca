"""Team pages (manager review)."""

urlpatterns: list = []
