app_name = "tiers"

urlpatterns: list = []
