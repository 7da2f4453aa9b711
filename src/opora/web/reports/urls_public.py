from django.urls import path

from opora.web.reports import views_public

app_name = "public"
urlpatterns = [
    path("", views_public.index, name="index"),
    path("<int:pk>/", views_public.municipality_page, name="municipality"),
    path("documents/<int:pk>.<str:fmt>", views_public.document, name="document"),
    path("data.csv", views_public.data_csv, name="data_csv"),
    path("data.json", views_public.data_json, name="data_json"),
    path("schema.json", views_public.schema, name="schema"),
]
