app_name = "assets"

urlpatterns: list[object] = []
