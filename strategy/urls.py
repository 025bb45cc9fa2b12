"""URLs of the site: the app, the admin, login and logout."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from strategy.admin.access import view_on_site
from strategy.languages import choose_language

urlpatterns = [
    path("", include("strategy.web_urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", choose_language, name="set_language"),
    # Before the admin's own: the same URL, with the access rule.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path("admin/", admin.site.urls),
]
