from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistrictsConfig(AppConfig):
    name = "districts"
    verbose_name = _("Territoires")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from districts.map_data import forget_districts_geojson
        from districts.models import DensityFigure, Territory

        # The choropleth is cached; an edited boundary or figure shows at once.
        for model in (Territory, DensityFigure):
            post_save.connect(forget_districts_geojson, sender=model, weak=False)
            post_delete.connect(forget_districts_geojson, sender=model, weak=False)
