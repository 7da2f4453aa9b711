from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "opora.web.staff"
    label = "staff"
    verbose_name = "Педагоги и их профессиональное развитие"
