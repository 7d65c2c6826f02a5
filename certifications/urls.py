from django.urls import path

from certifications import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("certifications", views.certification_list_page, name="certifications"),
]
