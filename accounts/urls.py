from django.urls import path

from accounts import views

urlpatterns = [
    path("signup", views.signup, name="signup"),
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", views.LogoutView.as_view(), name="logout"),
    path("password", views.password_change, name="password_change"),
    path("profile", views.profile, name="profile"),
    path(
        "certifications/<id:certification_id>/select",
        views.certification_select,
        name="certification_select",
    ),
]
