from django.urls import path

from quizzes import views

urlpatterns = [
    path("quiz/new", views.quiz_new, name="quiz_new"),
    path("quizzes/<id:quiz_id>", views.quiz_detail, name="quiz"),
    path("history", views.history, name="history"),
]
