from django.contrib import admin

from .models import RankingWeights


@admin.register(RankingWeights)
class RankingWeightsAdmin(admin.ModelAdmin):
    list_display = ["user", *RankingWeights.FACTORS, "updated"]
    search_fields = ["user__email", "user__username"]
    raw_id_fields = ["user"]
